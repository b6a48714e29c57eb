// The console in Korean: chosen with SORI_LANG=ko, or a Korean locale (LANG, LC_ALL,
// LC_MESSAGES starting with "ko"). Failures are shown by their stable code, so the Korean
// sentence is looked up by that code; a code without one keeps its English sentence.

export type ConsoleLanguage = 'en' | 'ko';

export function consoleLanguage(env: NodeJS.ProcessEnv = process.env): ConsoleLanguage {
  const chosen = env.SORI_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return chosen.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export const KO_ERRORS: Readonly<Record<string, string>> = Object.freeze({
  NETWORK_ERROR: '서버에 연결할 수 없습니다',
  KEYFILE_MISSING: '키 파일이 없습니다. sori keygen 을 실행하거나 --key 로 지정하세요',
  KEYFILE_BAD: '사용할 수 있는 소리 키 파일이 아닙니다',
  KEYFILE_BAD_PASSPHRASE: '암호문이 키 파일과 맞지 않습니다',
  KEYFILE_EXISTS: '키 파일이 이미 있습니다. 덮어쓰지 않습니다',
  PASSPHRASE_EMPTY: '암호문이 비어 있습니다',
  PASSPHRASE_MISMATCH: '두 암호문이 다릅니다',
  PASSPHRASE_TOO_SHORT: '새 암호문은 12자 이상이어야 합니다. 기억하기 쉬운 단어 몇 개면 됩니다',
  BAD_RECORD_ID: '기록 ID는 sori list 에 보이는 앞 8자 이상입니다 (0-9, a-f)',
  RECORD_NOT_FOUND: '읽을 수 있는 기록 중에 해당하는 것이 없습니다',
  RECORD_ID_AMBIGUOUS: '이 앞부분으로 시작하는 기록이 여럿입니다. ID를 더 입력하세요',
  RECORD_DECRYPT_FAILED: '기록 본문을 복호화할 수 없습니다',
  ENTRY_DECRYPT_FAILED: '기록 항목을 복호화할 수 없습니다',
  RECORD_KEY_UNREADABLE: '이 기록의 키는 이 키 파일로 열 수 없습니다',
  FILE_DECRYPT_FAILED: '파일을 복호화할 수 없습니다',
  FILE_HASH_MISMATCH: '파일이 기록의 SHA-256 과 맞지 않습니다',
  SESSION_EXPIRED: '세션이 만료되었습니다. 다시 시도하세요',
  SESSION_INVALID: '세션이 유효하지 않습니다. 다시 시도하세요',
  REVIEWER_NOT_FOUND: '해당하는 활성 검토자가 없습니다',
  REVIEWER_NOT_CERTIFIED:
    '이 검토자의 등록 인증서가 SORI_ENROLMENT_ROOTS 의 키로 이어지지 않습니다',
  ADMIN_REQUIRED: '관리자만 할 수 있습니다',
  NOTE_EMPTY: '메모가 비어 있습니다',
  REPLY_EMPTY: '답장이 비어 있습니다',
  REPLY_TEXT_REQUIRED: '답장은 TEXT 또는 --file 중 하나로만 주세요',
  SOURCE_KEY_MISSING: '제보자가 접수증을 남기지 않아 답장할 수 없습니다',
  BAD_STATUS: '상태는 new, in-review, verified, closed 중 하나입니다',
  BAD_TAG: '태그는 1~64자의 글자, 숫자, 점, 콜론, 대시, 밑줄입니다',
  BAD_DATE: '날짜는 YYYY-MM-DD 로 씁니다',
  BAD_LIMIT: '--limit 는 양의 정수여야 합니다',
  BAD_LANGUAGE: '언어는 2~3자 코드입니다',
  BAD_INDICATOR: 'ILO 지표 ID가 아닙니다',
  GRANT_WHAT: '기록 ID 또는 --all 을 주세요',
  EXPORT_WHAT: '기록 ID 또는 --all 을 주세요',
  EXPORT_EXISTS: '내보낼 폴더가 비어 있지 않습니다. 새 폴더로 내보내세요',
  FILE_UNREADABLE: '파일을 읽을 수 없습니다',
  FILE_EMPTY: '파일이 비어 있습니다',
  ATTACHMENT_NOT_FOUND: '해당하는 첨부 파일이 없습니다',
  BAD_IDLE: '--idle 은 분(15) 또는 초(90s)이며 1초에서 24시간 사이입니다',
  BAD_PORT: '--port 는 0에서 65535 사이의 숫자입니다',
  INTERNAL: '예상하지 못한 오류가 났습니다',
  USAGE: '명령 사용법이 잘못되었습니다. sori --help 를 보세요',
});
