/**
 * A label missing for any item of the contract's vocabularies fails the type check, in either
 * language: compiled here with the TypeScript compiler, once as written and once with one label
 * removed from a copy of the catalogue.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The client's message catalogues. */
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/src/i18n');

/** Compiles each source as its own file of one program (one program: loading the libraries once). */
function diagnosticsOf(sources: Record<string, string>): Record<string, string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));
  const files = Object.entries(sources).map(([name, source]) => {
    const file = path.join(dir, `${name}.ts`);
    fs.writeFileSync(file, source);
    return [name, file] as const;
  });
  const program = ts.createProgram(
    files.map(([, file]) => file),
    { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] },
  );
  const out = Object.fromEntries(
    files.map(([name, file]) => [name, ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))]),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

const header = `import type { Messages } from ${JSON.stringify(path.join(here, 'zh'))};
import en from ${JSON.stringify(path.join(here, 'en'))};
`;

const removed = (group: string, key: string | null, label: string) =>
  key
    ? `${header}const { ${label}: _dropped, ...rest } = en.${group}.${key};\nexport const broken: Messages = { ...en, ${group}: { ...en.${group}, ${key}: rest } };\n`
    : `${header}const { ${label}: _dropped, ...rest } = en.${group};\nexport const broken: Messages = { ...en, ${group}: rest };\n`;

describe('message catalogues typed by the contract', () => {
  it('compile as written, and fail with one label of any vocabulary removed', () => {
    const result = diagnosticsOf({
      asWritten: `${header}export const copy: Messages = { ...en };\n`,
      historyAction: removed('history', 'action', 'lifted_by_hand'),
      publicationKind: removed('bulletins', 'kinds', 'reopening'),
      auditAction: removed('auditAction', null, 'logout_all'),
      errorCode: removed('errors', null, 'version_conflict'),
    });
    expect(result.asWritten).toEqual([]);
    expect(result.historyAction.join('\n')).toContain('lifted_by_hand');
    expect(result.publicationKind.join('\n')).toContain('reopening');
    expect(result.auditAction.join('\n')).toContain('logout_all');
    expect(result.errorCode.join('\n')).toContain('version_conflict');
  }, 120_000);
});
