// The library's type declarations (package.json `types`): what `import … from 'preview-kit'`
// needs, and nothing else. tsc emits a declaration file for every module the library reaches
// (providers, forges, schemas: about 150 files, some importing packages that are bundled, not
// installed); this keeps only the declarations the entry point's exports refer to, following
// imports and re-exports statement by statement. A kept declaration that still names a package
// fails the build: the installed package has no dependencies to resolve it from.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const BUILTIN = new Set(builtinModules);
const isBuiltin = (spec) => spec.startsWith('node:') || BUILTIN.has(spec);

/** Emits the declarations of `entry` in memory: absolute `.d.ts` path → text. */
function emitAll(root, entry) {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('declarations: cannot read tsconfig.json');
  const outDir = join(root, '.declarations');
  const options = {
    ...config.options,
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    sourceMap: false,
    noEmit: false,
    rootDir: join(root, 'src'),
    outDir,
  };
  const program = ts.createProgram([join(root, entry)], options);
  const files = new Map();
  const result = program.emit(undefined, (fileName, text) => files.set(resolve(fileName), text), undefined, true);
  if (result.emitSkipped) throw new Error('declarations: tsc skipped the emit');
  return { files, outDir, entryOut: join(outDir, entry.replace(/^src\//, '').replace(/\.ts$/, '.d.ts')) };
}

/** Names a statement declares (interfaces merge: one name may have several statements). */
function declaredNames(statement) {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) && statement.name && ts.isIdentifier(statement.name)) return [statement.name.text];
  return [];
}

const isExported = (statement) => (ts.getModifiers?.(statement) ?? statement.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Identifiers a statement refers to, leaving out member and property names. */
function referencedNames(statement) {
  const names = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isMemberName = p && p.name === node && (ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isParameter(p) || ts.isEnumMember(p) || ts.isPropertyAssignment(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p));
      const isRightSide = p && ((ts.isQualifiedName(p) && p.right === node) || (ts.isPropertyAccessExpression(p) && p.name === node));
      if (!isMemberName && !isRightSide) names.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(statement, visit);
  return names;
}

/** One parsed declaration file: its statements and how each name is found in it. */
function parse(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const decls = new Map(); // name → statement indexes
  const imports = new Map(); // local name → { spec, imported, statement, element }
  const reexports = new Map(); // exported name → { spec?, imported, statement, element }
  const stars = []; // { spec, statement }
  source.statements.forEach((statement, index) => {
    for (const name of declaredNames(statement)) decls.set(name, [...(decls.get(name) ?? []), index]);
    if (ts.isImportDeclaration(statement)) {
      const spec = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, { spec, imported: 'default', statement: index, element: clause.name });
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, { spec, imported: '*', statement: index, element: bindings });
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) imports.set(e.name.text, { spec, imported: (e.propertyName ?? e.name).text, statement: index, element: e });
    }
    if (ts.isExportDeclaration(statement)) {
      const spec = statement.moduleSpecifier ? statement.moduleSpecifier.text : undefined;
      if (!statement.exportClause && spec) stars.push({ spec, statement: index });
      else if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const e of statement.exportClause.elements) reexports.set(e.name.text, { spec, imported: (e.propertyName ?? e.name).text, statement: index, element: e });
      }
    }
  });
  return { path, text, source, decls, imports, reexports, stars, keep: new Set(), keepElements: new Set(), external: new Set() };
}

/** Keeps what the entry file exports needs; returns the kept files' texts by path. */
function shake(files, entryPath) {
  const parsed = new Map();
  const fileOf = (path) => {
    if (!parsed.has(path)) {
      const text = files.get(path);
      if (text === undefined) throw new Error(`declarations: no declaration emitted for ${path}`);
      parsed.set(path, parse(path, text));
    }
    return parsed.get(path);
  };
  const target = (from, spec) => resolve(dirname(from.path), spec.replace(/\.js$/, '.d.ts'));
  const seen = new Set();

  const keepStatement = (f, index) => {
    if (f.keep.has(index)) return;
    f.keep.add(index);
    for (const name of referencedNames(f.source.statements[index])) local(f, name);
  };
  // A name used inside f: declared there, or imported.
  const local = (f, name) => {
    for (const index of f.decls.get(name) ?? []) keepStatement(f, index);
    const imported = f.imports.get(name);
    if (imported) {
      f.keepElements.add(imported.element);
      f.keep.add(imported.statement);
      follow(f, imported.spec, imported.imported);
    }
  };
  // A name another file takes from f: exported by a declaration, an export list, or `export *`.
  const exported = (f, name) => {
    const key = `${f.path}#${name}`;
    if (seen.has(key)) return true;
    seen.add(key);
    if (f.decls.has(name) && f.decls.get(name).some((i) => isExported(f.source.statements[i]))) {
      local(f, name);
      return true;
    }
    const re = f.reexports.get(name);
    if (re) {
      f.keepElements.add(re.element);
      f.keep.add(re.statement);
      if (re.spec) follow(f, re.spec, re.imported);
      else local(f, re.imported);
      return true;
    }
    for (const star of f.stars) {
      if (star.spec.startsWith('.') && provides(fileOf(target(f, star.spec)), name)) {
        (f.starNames ??= new Map()).set(star.statement, new Set([...(f.starNames?.get(star.statement) ?? []), name]));
        f.keep.add(star.statement);
        return exported(fileOf(target(f, star.spec)), name);
      }
    }
    return false;
  };
  const provides = (f, name, depth = 0) =>
    (f.decls.get(name) ?? []).some((i) => isExported(f.source.statements[i])) ||
    f.reexports.has(name) ||
    (depth < 20 && f.stars.some((s) => s.spec.startsWith('.') && provides(fileOf(target(f, s.spec)), name, depth + 1)));
  const follow = (from, spec, name) => {
    if (!spec.startsWith('.')) {
      from.external.add(spec);
      return;
    }
    const f = fileOf(target(from, spec));
    if (name === '*') {
      f.source.statements.forEach((s, i) => isExported(s) && keepStatement(f, i));
      for (const n of f.reexports.keys()) exported(f, n);
      return;
    }
    if (!exported(f, name)) throw new Error(`declarations: ${relative(dirname(entryPath), f.path)} does not export ${name}`);
  };

  // The entry is the API: all of it stays.
  const entry = fileOf(entryPath);
  entry.source.statements.forEach((_, i) => keepStatement(entry, i));
  for (const name of entry.reexports.keys()) exported(entry, name);
  for (const star of entry.stars) follow(entry, star.spec, '*');

  const out = new Map();
  for (const f of [...parsed.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (f.keep.size === 0) continue;
    const external = [...f.external].filter((s) => !isBuiltin(s));
    if (external.length > 0) throw new Error(`declarations: the public types in ${relative(dirname(entryPath), f.path)} refer to ${external.join(', ')}, which the installed package does not have`);
    const parts = [];
    f.source.statements.forEach((statement, i) => {
      if (!f.keep.has(i)) return;
      if (ts.isImportDeclaration(statement) || (ts.isExportDeclaration(statement) && statement.exportClause)) {
        const text = printPartial(f, statement);
        if (text) parts.push(text);
      } else if (ts.isExportDeclaration(statement) && f !== entry) {
        // `export *` of another module: only the names that were asked for through it.
        const names = [...(f.starNames?.get(i) ?? [])].sort();
        if (names.length > 0) parts.push(`export { ${names.join(', ')} } from '${statement.moduleSpecifier.text}';`);
      } else {
        parts.push(f.text.slice(statement.getFullStart(), statement.getEnd()).replace(/^\n+/, ''));
      }
    });
    out.set(f.path, parts.join('\n') + '\n');
  }
  return out;
}

/** An import or export list with only the names that were used. */
function printPartial(f, statement) {
  const spec = statement.moduleSpecifier ? ` from '${statement.moduleSpecifier.text}'` : '';
  const element = (e) => `${e.isTypeOnly ? 'type ' : ''}${e.propertyName ? `${e.propertyName.text} as ` : ''}${e.name.text}`;
  if (ts.isExportDeclaration(statement)) {
    const kept = statement.exportClause.elements.filter((e) => f.keepElements.has(e)).map(element);
    return `export${statement.isTypeOnly ? ' type' : ''} { ${kept.join(', ')} }${spec};`;
  }
  const clause = statement.importClause;
  if (!clause) return f.text.slice(statement.getStart(), statement.getEnd());
  const pieces = [];
  if (clause.name && f.keepElements.has(clause.name)) pieces.push(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings) && f.keepElements.has(bindings)) pieces.push(`* as ${bindings.name.text}`);
  if (bindings && ts.isNamedImports(bindings)) {
    const kept = bindings.elements.filter((e) => f.keepElements.has(e)).map(element);
    if (kept.length > 0) pieces.push(`{ ${kept.join(', ')} }`);
  }
  return pieces.length === 0 ? '' : `import${clause.isTypeOnly ? ' type' : ''} ${pieces.join(', ')}${spec};`;
}

/** Writes the declarations `src/index.ts` needs into `outDir`; returns how many files. */
export async function writeDeclarations(root, outDir, entry = 'src/index.ts') {
  const { files, outDir: virtual, entryOut } = emitAll(root, entry);
  const kept = shake(files, entryOut);
  await rm(outDir, { recursive: true, force: true });
  for (const [path, text] of kept) {
    const file = join(outDir, relative(virtual, path));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return kept.size;
}
