// The console in Korean (SORI_LANG=ko, or LANG, LC_ALL or LC_MESSAGES starting with "ko"):
// failures looked up by their stable code, everything else by its English text through say();
// a sentence without a Korean one stays English. CONSOLE.md says why two lookups.

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

/** Output sentences by their English text; {name} marks a value filled in by say(). */
export const KO_TEXT: Readonly<Record<string, string>> = Object.freeze({
  // list
  NEW: '새',
  ID: 'ID',
  DAY: '날짜',
  LANG: '언어',
  STATUS: '상태',
  TAGS: '태그',
  TRANSLATED: '번역',
  yes: '예',
  no: '아니요',
  'No records.': '기록이 없습니다.',
  'No records you can read yet. Records exist that were sealed before you were enrolled: a reviewer who holds them can give you access with sori grant.':
    '아직 읽을 수 있는 기록이 없습니다. 등록 전에 봉인된 기록이 있습니다. 그 기록을 가진 검토자가 sori grant 로 권한을 줄 수 있습니다.',
  'No records yet: {n} submission(s) are waiting to become records. The worker retries them until a reviewer is enrolled (and running); run sori list again in a minute.':
    '아직 기록이 없습니다: 제출 {n}건이 기록이 되기를 기다리고 있습니다. 검토자가 등록되고 워커가 실행될 때까지 다시 시도합니다. 1분 뒤에 sori list 를 다시 실행하세요.',
  '{n} record(s) exist that were sealed before you were enrolled: a reviewer who holds them can give you access with sori grant.':
    '등록 전에 봉인된 기록 {n}건이 있습니다. 그 기록을 가진 검토자가 sori grant 로 권한을 줄 수 있습니다.',
  "{n} submission(s) failed processing: an operator should check the worker's log.":
    '제출 {n}건의 처리가 실패했습니다. 운영자가 워커 로그를 확인해야 합니다.',
  // show
  'Record {id}': '기록 {id}',
  received: '받은 날',
  language: '언어',
  status: '상태',
  translated: '번역됨',
  'source can be answered': '제보자에게 답장 가능',
  'Original ({lang})': '원문 ({lang})',
  Sanitisation: '정리 내역',
  Files: '파일',
  Answers: '설문 답변',
  'ILO forced-labour indicators (from the answers)': 'ILO 강제노동 지표 (답변에서)',
  Entries: '기록 항목',
  none: '없음',
  nothing: '없음',
  'clean ({format})': '정리됨 ({format})',
  'removed: {what}': '제거: {what}',
  'kept: {what}': '유지: {what}',
  'original held back for admins (sori export --include-originals)':
    '원본은 관리자용으로 보류됨 (sori export --include-originals)',
  'original not kept': '원본은 보관하지 않음',
  'UNSANITISED ({reason})': '정리 안 됨 ({reason})',
  'removed before failing: {what}': '실패 전에 제거: {what}',
  'originals sealed to the offline custodian: {n} (not readable here)':
    '오프라인 보관자에게 봉인된 원본: {n}개 (여기서는 읽을 수 없음)',
  'Case {id} ({n} messages from this source)': '사건 {id} (이 제보자의 메시지 {n}개)',
  testimony: '증언',
  'follow-up {n}': '후속 {n}',
  '{n} reply': '답장 {n}개',
  '{n} replies': '답장 {n}개',
  // auth, keys
  'Logged in to {server} as {name} ({role}) until {until}.':
    '{server} 에 {name} ({role}) 로 로그인했습니다. 세션은 {until} 까지입니다.',
  'Logged out.': '로그아웃했습니다.',
  server: '서버',
  'session until': '세션 만료',
  'key file': '키 파일',
  'key id': '키 ID',
  'box fingerprint': '암호화 키 지문',
  'sign fingerprint': '서명 키 지문',
  'Hand this line to an admin (public keys only), and read them the fingerprints to compare:':
    '이 줄을 관리자에게 건네고 (공개 키만 있음), 비교할 수 있게 지문을 읽어 주세요:',
  // acting on records
  'Added {kind} {entry} to {id}.': '{id} 에 {kind} 항목 {entry} 을(를) 추가했습니다.',
  'Reply {reply} sealed to the source of {id}.':
    '답장 {reply} 을(를) {id} 의 제보자에게 봉인했습니다.',
  'Granted {name} access to {id}.': '{name} 에게 {id} 열람 권한을 주었습니다.',
  '{name} already had access to {id}.': '{name} 은(는) 이미 {id} 를 읽을 수 있었습니다.',
  'Granted {name} access to {n} record(s); {m} they could already read.':
    '{name} 에게 기록 {n}건의 열람 권한을 주었습니다. {m}건은 이미 읽을 수 있었습니다.',
  "SORI_ENROLMENT_ROOTS is not set: this key is the server's word, unchecked.":
    'SORI_ENROLMENT_ROOTS 가 설정되지 않았습니다. 이 키는 서버의 말일 뿐, 확인되지 않았습니다.',
  // files and exports
  '{n} more lines (--json for all)': '{n}줄 더 있음 (전체는 --json)',
  '{n} page': '{n}쪽',
  '{n} pages': '{n}쪽',
  '{n} page (first pages only)': '앞의 {n}쪽만',
  '{n} pages (first pages only)': '앞의 {n}쪽만',
  'safe rendition: PDF of pixels + OCR text': '안전한 사본: 화면 픽셀로 만든 PDF + OCR 텍스트',
  'safe rendition': '안전한 사본',
  'machine translation': '기계 번역',
  'not translated': '번역 안 됨',
  'text of the rendition (OCR)': '사본에서 읽은 텍스트 (OCR)',
  'text read from the image (OCR)': '그림에서 읽은 텍스트 (OCR)',
  '{name} has no safe rendition (only documents get one; see sori show)':
    '{name} 에는 안전한 사본이 없습니다 (문서에만 만들어집니다. sori show 참고)',
  'Wrote {name} to {path} ({bytes} bytes, SHA-256 checked).':
    '{name} 을(를) {path} 에 썼습니다 ({bytes}바이트, SHA-256 확인됨).',
  'It is decrypted testimony: keep it encrypted at rest and delete it when done.':
    '복호화된 증언입니다. 암호화된 곳에 보관하고 다 쓰면 지우세요.',
  'Exported {n} record(s) to {dir}. The files hold decrypted testimony: keep them encrypted at rest.':
    '기록 {n}건을 {dir} 에 내보냈습니다. 파일에 복호화된 증언이 있으니 암호화된 곳에 보관하세요.',
  'Attachments: {clean} clean, {originals} original(s).':
    '첨부 파일: 정리된 것 {clean}개, 원본 {originals}개.',
  // verify
  'Custody log intact: {n} entries, head {head}, signed by {signers}.':
    '보관 기록이 온전합니다: 항목 {n}개, 끝 {head}, 서명자 {signers}.',
  'Stored records match the log: {checked} checked, {unreadable} not readable by you.':
    '저장된 기록이 보관 기록과 맞습니다: {checked}건 확인, {unreadable}건은 읽을 권한이 없습니다.',
  'Offline: stored records not checked.': '오프라인: 저장된 기록은 확인하지 않았습니다.',
  'Export {dir}: {files} files and {records} record(s) match.':
    '내보내기 {dir}: 파일 {files}개와 기록 {records}건이 맞습니다.',
  // submit
  submission: '제출',
  attachments: '첨부 파일',
  receipt: '접수증',
  'Give the receipt to the source, and only to them: with it they read replies and add to their testimony.':
    '접수증은 제보자 본인에게만 주세요. 접수증으로 답장을 읽고 증언을 덧붙입니다.',
  'Receipts identify cases: whoever holds one can read the replies and add to that testimony. Keep the receipts file offline and hand each receipt only to its source.':
    '접수증은 사건을 가리킵니다. 가진 사람은 누구나 답장을 읽고 그 증언에 덧붙일 수 있습니다. 접수증 파일은 오프라인에 두고 각 접수증은 그 제보자에게만 건네세요.',
  // desk
  'Sori desk: {url}': '소리 데스크: {url}',
  'Open this address in your browser (it works once). The desk runs until you press Ctrl-C.':
    '이 주소를 브라우저에서 여세요 (한 번만 열립니다). Ctrl-C 를 누를 때까지 데스크가 실행됩니다.',
});

/**
 * `en` in the console's language, with each {name} filled from `values`. English is both the
 * key and the fallback, so a sentence not yet translated is still printed whole.
 */
export function say(
  en: string,
  values: Readonly<Record<string, string | number>> = {},
  lang: ConsoleLanguage = consoleLanguage(),
): string {
  const template = lang === 'ko' ? (KO_TEXT[en] ?? en) : en;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
