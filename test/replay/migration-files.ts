// Builds MigrationFile values for replay tests.
export { migrationFile as migration } from '../helpers/rule-input.js';

export const tableNames = (schema: { tables: Record<string, unknown> }) => Object.keys(schema.tables).sort();
