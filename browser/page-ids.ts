// The page's contract (server/page/PAGE.md): ids and field names the script relies on.
export const PAGE = {
  submitForm: 'submit-form',
  returnForm: 'return-form',
  addForm: 'add-form',
  messages: 'sori-js-messages',
  textField: 'text',
  filesField: 'files',
  receiptField: 'receipt',
} as const;
