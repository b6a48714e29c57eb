import type { Command } from 'commander';
import { consoleLanguage, type ConsoleLanguage } from './messages-ko';

// `sori --help` in Korean: once the command tree is built, localiseHelp() swaps each English
// description for its Korean sentence, looked up by its English text as say() does
// (messages-ko.ts); a description without one stays English.

export const KO_HELP: Readonly<Record<string, string>> = Object.freeze({
  // Commander's own words
  'Usage:': '사용법:',
  'Options:': '옵션:',
  'Global Options:': '공통 옵션:',
  'Commands:': '명령:',
  'Arguments:': '인수:',
  'display help for command': '명령 도움말 보기',
  'output the version number': '버전 보기',
  // sori
  'Sori console: read, annotate and export testimony; verify custody; submit interviews':
    '소리 콘솔: 증언을 읽고, 메모하고, 내보내기; 보관 기록 검증; 면담 제출',
  'review API (env SORI_SERVER)': '검토 API (환경 변수 SORI_SERVER)',
  'public intake API, for submit (env SORI_INTAKE)':
    '공개 접수 API, submit 용 (환경 변수 SORI_INTAKE)',
  'reviewer key file (default ~/.sori/key.json; SORI_HOME moves ~/.sori)':
    '검토자 키 파일 (기본 ~/.sori/key.json; SORI_HOME 으로 ~/.sori 위치 변경)',
  'machine-readable output on stdout': '기계가 읽는 출력 (stdout, JSON)',
  'The passphrase comes from SORI_PASSPHRASE or a prompt. Errors end with their code; exit status 1 (2: verification found a break).':
    '암호문은 SORI_PASSPHRASE 또는 입력 창에서 받습니다. 오류는 끝에 코드를 붙입니다. 종료 상태 1 (2: 검증에서 끊긴 곳을 찾음). 한국어: SORI_LANG=ko.',
  'create a reviewer key file, encrypted under a passphrase':
    '암호문으로 암호화된 검토자 키 파일 만들기',
  'where to write the key file (default: --key, or ~/.sori/key.json)':
    '키 파일을 쓸 곳 (기본: --key 또는 ~/.sori/key.json)',
  'your reviewer name, for the enrolment hint': '검토자 이름 (등록 안내에 씀)',
  'sign a login challenge with your key and cache the session token':
    '키로 로그인 요청에 서명하고 세션 토큰 저장',
  'show who the server knows you as': '서버가 나를 누구로 아는지 보기',
  'end the session on the server and forget the cached token':
    '서버 세션을 끝내고 저장된 토큰 지우기',
  'list the records you can read, newest first (* in NEW: not yet shown)':
    '읽을 수 있는 기록 목록, 최신순 (새 열의 *: 아직 보지 않음)',
  'only this status (new, in-review, verified, closed)':
    '이 상태만 (new, in-review, verified, closed)',
  'only this detected language (ko, ru, …)': '감지된 언어가 이것인 것만 (ko, ru, …)',
  'received on or after YYYY-MM-DD': 'YYYY-MM-DD 또는 그 뒤에 받은 것',
  'received on or before YYYY-MM-DD': 'YYYY-MM-DD 또는 그 전에 받은 것',
  'only records with this tag (decrypted and matched locally)':
    '이 태그가 있는 기록만 (이 컴퓨터에서 복호화해 비교)',
  'only records showing this ILO indicator (decrypted locally)':
    '이 ILO 지표가 있는 기록만 (이 컴퓨터에서 복호화)',
  'only records with a translation': '번역이 있는 기록만',
  'only records without a translation': '번역이 없는 기록만',
  'at most this many records': '최대 기록 수',
  'decrypt and show one record: original and translation, sanitisation, answers, entries':
    '기록 하나를 복호화해 보기: 원문과 번역, 정리 내역, 답변, 항목',
  'layout width (default: the terminal width)': '출력 너비 (기본: 터미널 너비)',
  'record id (or its first 8+ characters)': '기록 ID (또는 앞 8자 이상)',
  'add an encrypted note to a record': '기록에 암호화된 메모 추가',
  'the note': '메모',
  'tag a record (the tag is encrypted; list --tag matches it locally)':
    '기록에 태그 달기 (태그는 암호화되며 list --tag 가 이 컴퓨터에서 비교)',
  'the tag': '태그',
  "set a record's status (new, in-review, verified, closed)":
    '기록 상태 정하기 (new, in-review, verified, closed)',
  'the new status': '새 상태',
  'assign a record to a reviewer': '기록을 검토자에게 맡기기',
  'reviewer name or id': '검토자 이름 또는 ID',
  'add a human translation of a record from a file': '파일에서 사람이 한 번역 추가',
  'UTF-8 text file with the translation': '번역이 담긴 UTF-8 텍스트 파일',
  'language of the translation': '번역의 언어',
  'reply to the source of a record (sealed to the key from their receipt)':
    '기록의 제보자에게 답장 (접수증의 키로 봉인)',
  'read the reply from a UTF-8 text file': 'UTF-8 텍스트 파일에서 답장 읽기',
  'the reply': '답장',
  'give another reviewer access to a record, or --all (re-wraps keys locally)':
    '다른 검토자에게 기록 열람 권한 주기, 또는 --all (키는 이 컴퓨터에서 다시 봉인)',
  'every record you can read': '읽을 수 있는 모든 기록',
  "a record's attachments: list them, or decrypt one to a file":
    '기록의 첨부 파일: 목록 보기 또는 하나를 파일로 복호화',
  'list the attachments of a record, numbered': '기록의 첨부 파일 목록 (번호와 함께)',
  'decrypt one attachment of a record into a new file': '첨부 파일 하나를 새 파일로 복호화',
  "a document's safe rendition: a PDF of its pages' pixels and OCR text":
    '문서의 안전한 사본: 각 쪽의 픽셀과 OCR 텍스트로 만든 PDF',
  'where to write it (default: a safe name in this folder)':
    '쓸 곳 (기본: 이 폴더에 안전한 이름으로)',
  'admins: the held-back original (it may identify the source)':
    '관리자: 보류된 원본 (제보자를 드러낼 수 있음)',
  'its number in `sori files list` / `sori show`, or its name':
    '`sori files list` / `sori show` 에 나오는 번호 또는 이름',
  'export decrypted records with their custody proof and a SHA-256 manifest':
    '복호화된 기록을 보관 증명과 SHA-256 목록과 함께 내보내기',
  'folder to write (new or empty)': '쓸 폴더 (새 폴더 또는 빈 폴더)',
  'admins: also write held-back originals (they may identify the source)':
    '관리자: 보류된 원본도 쓰기 (제보자를 드러낼 수 있음)',
  'verify the custody log (hash links, signatures), stored records and optionally an export':
    '보관 기록(해시 연결, 서명), 저장된 기록, 그리고 원하면 내보낸 폴더 검증',
  'also check an export folder against its manifest and the log':
    '내보낸 폴더도 목록과 보관 기록에 맞는지 확인',
  'with --export: use the chain inside the export instead of the server':
    '--export 와 함께: 서버 대신 내보낸 폴더 안의 기록 사슬 사용',
  'encrypt a testimony on this machine and send it to the intake API (for intermediaries)':
    '이 컴퓨터에서 증언을 암호화해 접수 API 로 보내기 (중개자용)',
  'UTF-8 text of the testimony': '증언의 UTF-8 텍스트',
  'questionnaire answers as a JSON object': 'JSON 객체로 된 설문 답변',
  'language of the text, if known (ko, ru, …)': '알면 텍스트의 언어 (ko, ru, …)',
  'a photo, recording or document to send with --text (repeat for more)':
    '--text 와 함께 보낼 사진, 녹음, 문서 (여러 개면 반복)',
  'submit every DIR/NAME.txt, with DIR/NAME.json answers and DIR/NAME.*.EXT attachments':
    'DIR/NAME.txt 를 모두 제출 (DIR/NAME.json 답변, DIR/NAME.*.EXT 첨부와 함께)',
  'batch: where receipts are written (default DIR/receipts.tsv)':
    '일괄: 접수증을 쓸 곳 (기본 DIR/receipts.tsv)',
  'refuse unless the intake key has this fingerprint': '접수 키 지문이 이것이 아니면 거부',
  'operator commands (admin role)': '운영자 명령 (관리자 역할)',
  'first admin of a local stack: create the key file if needed, enrol it as admin in DATABASE_URL, log in':
    '로컬 스택의 첫 관리자: 필요하면 키 파일을 만들고 DATABASE_URL 에 관리자로 등록한 뒤 로그인',
  'your reviewer name': '검토자 이름',
  'the stack database (default: env DATABASE_URL, as the server)':
    '스택 데이터베이스 (기본: 서버처럼 환경 변수 DATABASE_URL)',
  'sign an enrolment with your key, offline: for the first admin (npm run admin:bootstrap) when you hold a root key':
    '내 키로 등록에 서명 (오프라인): 루트 키를 가진 경우 첫 관리자용 (npm run admin:bootstrap)',
  'sign the certificate of a reviewer enrolled without one (before ENROLMENT_ROOTS, or by a revoked admin), with your key':
    '인증서 없이 등록된 검토자(ENROLMENT_ROOTS 이전, 또는 해지된 관리자가 등록)의 인증서에 내 키로 서명',
  'their box (X25519) public key, from them, not from the server':
    '그 사람의 암호화(X25519) 공개 키 (서버가 아니라 본인에게서 받은 것)',
  'their signing (Ed25519) public key, from them':
    '그 사람의 서명(Ed25519) 공개 키 (본인에게서 받은 것)',
  'admin or reviewer, as you mean to certify them': 'admin 또는 reviewer (인증하려는 역할)',
  'box (X25519) public key': '암호화(X25519) 공개 키',
  'signing (Ed25519) public key': '서명(Ed25519) 공개 키',
  'admin or reviewer': 'admin 또는 reviewer',
  'enrol a reviewer by their public keys (from their sori keygen)':
    '공개 키로 검토자 등록 (그 사람의 sori keygen 출력)',
  'reviewer name': '검토자 이름',
  'revoke a reviewer at once (sessions end, no new records)':
    '검토자 즉시 해지 (세션 종료, 새 기록 없음)',
  'list enrolled reviewers': '등록된 검토자 목록',
  'publish a new intake public key (the old one keeps being accepted)':
    '새 접수 공개 키 게시 (이전 키도 계속 받음)',
  'the new intake public key (from npm run keys:init)': '새 접수 공개 키 (npm run keys:init 출력)',
  'list intake keys and their state': '접수 키와 상태 목록',
  'show or set how long records are kept per status, or run the deletion now':
    '상태별 기록 보관 기간 보기 또는 정하기, 또는 지금 삭제 실행',
  'keep records of this status this many days (repeatable)':
    '이 상태의 기록을 이만큼의 날 동안 보관 (반복 가능)',
  'delete what is past its retention now': '보관 기간이 지난 것을 지금 삭제',
  'open the reviewer desk: a local web page to read and work on cases (this machine only)':
    '검토 데스크 열기: 사건을 읽고 처리하는 로컬 웹 페이지 (이 컴퓨터에서만)',
  'lock after this long without use: minutes, or seconds with s (90s)':
    '이만큼 사용하지 않으면 잠금: 분, 또는 초는 s 를 붙여 (90s)',
  'port on 127.0.0.1 (default: any free port)': '127.0.0.1 의 포트 (기본: 비어 있는 아무 포트)',
  'only print the address; do not start a browser': '주소만 출력하고 브라우저는 열지 않기',
  // sori submit --help, after the options
  'Attachments are encrypted here and uploaded resumably (tus) before the testimony is sent; their names and types travel only inside the encrypted manifest. The worker strips their metadata; files it cannot clean are held back from reviewers.':
    '첨부 파일은 여기서 암호화되어 증언보다 먼저 이어받기(tus) 방식으로 올라갑니다. 이름과 형식은 암호화된 목록 안에만 담깁니다. 워커가 메타데이터를 지우고, 정리할 수 없는 파일은 검토자에게 보이지 않게 보류합니다.',
  'Batch folder, one interview per NAME:': '일괄 폴더, NAME 하나에 면담 하나:',
  'the testimony': '증언',
  'questionnaire answers (optional)': '설문 답변 (선택)',
  'attachments: NAME.LABEL.EXT, sent in name order': '첨부 파일: NAME.LABEL.EXT, 이름 순서로 보냄',
});

/** A help sentence in the console's language (the English one when it has no translation). */
export function helpText(en: string, lang: ConsoleLanguage = consoleLanguage()): string {
  return lang === 'ko' ? (KO_HELP[en] ?? en) : en;
}

/** Puts every command's, option's and argument's description of the tree into Korean. */
export function localiseHelp(program: Command, lang: ConsoleLanguage = consoleLanguage()): void {
  if (lang !== 'ko') return;
  const t = (en: string) => helpText(en, lang);
  program.helpCommand('help [command]', t('display help for command'));
  const walk = (cmd: Command): void => {
    // Each command copied its parent's help settings when it was made: each gets the titles.
    cmd.configureHelp({ ...cmd.configureHelp(), styleTitle: (title: string) => t(title) });
    cmd.description(t(cmd.description()));
    cmd.helpOption('-h, --help', t('display help for command'));
    for (const o of cmd.options) o.description = t(o.description);
    for (const a of cmd.registeredArguments) a.description = t(a.description);
    cmd.commands.forEach(walk);
  };
  walk(program);
}
