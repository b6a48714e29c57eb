import { PAGE } from './page-ids';

// Strings the script shows. The page hands over its own translated set (message files a
// translator reviews) in <script type="application/json" id="sori-js-messages">; these
// Korean defaults are used only for keys it does not provide.
const DEFAULTS = {
  preparing: '기기에서 안전하게 준비하고 있습니다… 잠시 기다려 주세요.',
  intakeKey: '서버 공개키 지문:',
  encrypting: '파일을 암호화하고 있습니다:',
  uploading: '암호화된 파일을 보내고 있습니다:',
  sending: '암호화된 증언을 보내고 있습니다…',
  done: '보냈습니다. 내용은 이 기기에서 암호화되었습니다.',
  receiptTitle: '영수증 번호',
  receiptNote:
    '이 번호를 종이에 적어 안전한 곳에 보관하세요. 다시 찾을 수 없습니다. 답장을 읽을 때 필요합니다.',
  receiptLead: '아래 영수증 번호를 지금 종이에 적어 두세요.',
  receiptWarn:
    '이 번호는 다시 보여 드릴 수 없고, 잃어버리면 되찾을 수 없습니다. 저희도 이 번호를 저장하지 않습니다.',
  receiptUse:
    '이 번호가 있으면 나중에 답장을 읽고, 같은 증언에 내용을 더 보탤 수 있습니다. 다른 사람에게 보여 주지 마세요.',
  receiptDevice: '다른 사람이 이 기기를 볼 수 있다면, 화면을 캡처하거나 기기에 저장하지 마세요.',
  receiptDone: '다 적었습니다. 처음 화면으로',
  badAnswer: '답을 읽을 수 없는 질문이 있습니다. 숫자 칸에는 숫자만 써 주세요.',
  failed: '보내지 못했습니다. 인터넷 연결을 확인하고 다시 시도해 주세요.',
  checking: '영수증을 확인하고 있습니다…',
  badReceipt: '영수증 번호는 숫자 20자리입니다.',
  statusTitle: '제출한 증언',
  repliesTitle: '답장',
  noReplies: '아직 답장이 없습니다.',
  status_received: '받음',
  status_processing: '처리 중',
  status_done: '검토자에게 전달됨',
  status_failed: '처리하지 못함',
  replyUnreadable: '이 답장은 열 수 없습니다.',
  addTitle: '답장하거나 증언 더하기',
  addText: '더하고 싶은 내용이나 답장',
  addFiles: '사진·파일',
  addReceipt: '영수증 번호 (한 번 더 넣어 주세요)',
  addSubmit: '보내기',
  added: '보냈습니다. 같은 사건에 더해졌고, 내용은 이 기기에서 암호화되었습니다.',
  noCase: '이 영수증 번호로 보낸 증언을 찾지 못했습니다. 숫자를 다시 확인해 주세요.',
  notFound:
    '이 영수증 번호로 찾은 것이 없습니다. 적어 둔 종이와 20자리 숫자(4자리씩 5묶음)를 하나씩 맞춰 보세요. 숫자 하나만 틀리거나 빠져도 다른 번호가 됩니다.',
  empty: '보낼 내용이 없습니다. 글을 쓰거나 파일을 고르세요.',
};

export type MessageKey = keyof typeof DEFAULTS;

let loaded: Partial<Record<string, string>> | undefined;

function fromPage(): Partial<Record<string, string>> {
  const el = document.getElementById(PAGE.messages);
  if (!el?.textContent) return {};
  try {
    const parsed: unknown = JSON.parse(el.textContent);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {}; // a broken message block must not break submitting: use the defaults
  }
}

export function t(key: MessageKey): string {
  loaded ??= fromPage();
  const v = loaded[key];
  return typeof v === 'string' ? v : DEFAULTS[key];
}
