/**
 * The HTML frame every mail shares: the tenant's display name as a header, its branding colour on
 * the header rule and buttons, then the kind's body. Handlebars escapes every `{{value}}`; the
 * body is the kind's own rendered (and so escaped) HTML, placed with `{{{body}}}`. Inline styles
 * and tables only: mail clients ignore `<style>` sheets and most modern CSS.
 */
export const HTML_LAYOUT = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#18181b">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5;padding:24px 0">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-radius:8px;border-top:4px solid {{brandColor}}">
<tr><td style="padding:24px 32px 0 32px;font-size:18px;font-weight:600">{{tenantName}}</td></tr>
<tr><td style="padding:16px 32px 32px 32px;font-size:15px;line-height:1.5">
{{{body}}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

/** A button-styled link in the brand colour (`{{> button}}` needs `link` and `label`). */
export const BUTTON_PARTIAL = `<p style="margin:24px 0"><a href="{{link}}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:{{brandColor}};color:{{onBrandColor}};text-decoration:none;font-weight:600">{{label}}</a></p>
<p style="font-size:13px;color:#52525b">{{linkHint}}<br><a href="{{link}}" style="color:#52525b;word-break:break-all">{{link}}</a></p>`;
