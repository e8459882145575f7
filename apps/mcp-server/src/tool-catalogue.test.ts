import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allTools } from './tools';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'mcp.md');
const BEGIN = '<!-- tools:begin -->';
const END = '<!-- tools:end -->';

/** The tool table of docs/mcp.md, as the registered tools say it must read. */
function expectedTable(): string {
  const rows = allTools.map((tool) => {
    const kind = tool.kind === 'destructive' ? '**destructive**' : tool.kind;
    const what = tool.description.replace(/\|/g, '\\|');
    return `| \`${tool.name}\` | ${kind} | ${what} | \`${JSON.stringify(tool.example)}\` |`;
  });
  return [
    '| tool | kind | what it does | example arguments |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

describe('the tool catalogue', () => {
  it('has at least 46 tools with unique names', () => {
    const names = allTools.map((tool) => tool.name);
    expect(names.length).toBeGreaterThanOrEqual(46);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(_[a-z]+)+$/);
  });

  it('gives every tool an example its own input schema accepts', () => {
    for (const tool of allTools) {
      const parsed = tool.input.safeParse(tool.example);
      expect({ tool: tool.name, ok: parsed.success }).toEqual({ tool: tool.name, ok: true });
    }
  });

  it('marks destructive tools and makes them ask for confirm: true', () => {
    for (const tool of allTools) {
      const destructive = tool.kind === 'destructive';
      expect(tool.annotations).toMatchObject({
        readOnlyHint: tool.kind === 'read',
        destructiveHint: destructive,
      });
      const withoutConfirm = Object.fromEntries(
        Object.entries(tool.example).filter(([key]) => key !== 'confirm'),
      );
      expect(tool.input.safeParse(withoutConfirm).success).toBe(!destructive);
      expect(tool.input.safeParse({ ...tool.example, confirm: false }).success).toBe(false);
    }
  });

  it('is documented in docs/mcp.md, tool for tool (paste the expected table on a change)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(doc.slice(start + BEGIN.length, end).trim()).toBe(expectedTable());
  });
});
