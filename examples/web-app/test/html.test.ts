import { escapeHtml, html, page } from '../src/html';

describe('html', () => {
  it('escapes every interpolated string', () => {
    const name = `<script>alert("x")</script> & 'you'`;
    expect(html`<p>${name}</p>`.value).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;you&#39;</p>',
    );
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).not.toMatch(/[<>"]/);
  });

  it('keeps nested html as markup, and drops null and undefined', () => {
    const inner = html`<em>${'a<b'}</em>`;
    expect(html`<p>${inner}${[inner, inner]}${undefined}${null}${42}</p>`.value).toBe(
      '<p><em>a&lt;b</em><em>a&lt;b</em><em>a&lt;b</em>42</p>',
    );
  });

  it('escapes the page title', () => {
    expect(page('<b>', html``)).toContain('<h1>&lt;b&gt;</h1>');
  });
});
