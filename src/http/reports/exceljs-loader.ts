type ExcelModule = typeof import('exceljs');

/**
 * exceljs, loaded on first use: it is large and most processes never build a workbook (bench:startup). exceljs is
 * CommonJS. Under jest and the built output (CommonJS `require`) its exports are the namespace itself; under tsx
 * (`npm start`, ESM `import()` of a CJS module) Node gives `{ default: module.exports }` and `Workbook` is only on
 * `default` (https://nodejs.org/api/esm.html#commonjs-namespaces). Accept both shapes.
 */
export async function loadWorkbookClass(): Promise<ExcelModule['Workbook']> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  const WorkbookClass = mod.Workbook ?? mod.default?.Workbook;
  if (typeof WorkbookClass !== 'function') throw new Error('exceljs: no Workbook export');
  return WorkbookClass;
}
