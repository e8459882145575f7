export { createMailTokens, type MailTokens } from './mail-tokens';
