export { createMailTokens, type MailTokens } from './mail-tokens';
export { acceptMail } from './accepted';
export { spendMailed } from './spend';
