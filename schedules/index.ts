export { TEMPLATES, type DutyTemplate, type TemplateItem } from './templates';
import { TEMPLATES, type DutyTemplate } from './templates';

/** A template by its name (三会一课) or id (sanhui-yike). */
export function findTemplate(name: string): DutyTemplate | undefined {
  const n = name.trim();
  return TEMPLATES.find((t) => t.name === n || t.id === n);
}
