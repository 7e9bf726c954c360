// Every rule has its module (file name = id), its doc page with the four sections, and its test file; every rule
// module is registered; ids are unique. The ESLint build check, as a test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/registry.js';

const root = new URL('../../', import.meta.url).pathname;
const INFRA = new Set(['registry', 'types', 'index']);
const SECTIONS = ['## Problem', '## Bad example', '## Fix', '## How to silence'];

describe('rule parity', () => {
  it('registers every rule module under src/rules exactly once', () => {
    const modules = readdirSync(`${root}src/rules`)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .filter((id) => !INFRA.has(id));
    const ids = rules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...modules].sort());
  });

  for (const rule of rules) {
    const { id } = rule.meta;
    describe(id, () => {
      it('has a kebab-case id and complete meta', () => {
        expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(['error', 'warning', 'notice']).toContain(rule.meta.defaultSeverity);
        expect(rule.meta.description.length).toBeGreaterThan(10);
        expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      });
      it(`has docs/rules/${id}.md with problem, bad example, fix and how to silence`, () => {
        const path = `${root}docs/rules/${id}.md`;
        expect(existsSync(path), `${path} is missing`).toBe(true);
        const doc = readFileSync(path, 'utf8');
        expect(doc.startsWith(`# ${id}`), 'starts with "# <id>"').toBe(true);
        for (const section of SECTIONS) expect(doc, `section ${section}`).toContain(section);
      });
      it(`has test/rules/${id}.test.ts`, () => {
        expect(existsSync(`${root}test/rules/${id}.test.ts`)).toBe(true);
      });
    });
  }
});
