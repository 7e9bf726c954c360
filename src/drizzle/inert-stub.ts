/**
 * The source of an inert stand-in for a package the schema sandbox doesn't provide (an id generator, a validation
 * library). Schemas use such packages for runtime defaults (`$defaultFn(() => nanoid())`) and companion exports
 * (`createInsertSchema(users)`), never for what drizzle-kit snapshots, so any property or call of a stub yields another
 * stub. It is bundled as a CommonJS module: esbuild's interop then reads every named import from it, whatever its name.
 *
 * When a stub's value would shape a table — its keys spread into a table's columns, or the stub itself serialized into
 * drizzle-kit's snapshot as a column type or default — it throws, naming the package: the tables can't be built
 * faithfully, and an evaluation failure is the honest answer (a silently missing column would read as a stale schema).
 */
export function inertStubSource(spec: string): string {
  return `
const name = ${JSON.stringify(spec)};
const shaped = (how) => () => {
  throw new Error('the schema uses a value from "' + name + '" ' + how + ', and that package is replaced by an inert stub in the schema sandbox, so the tables can\\'t be built');
};
const make = (root) => {
  const target = function () {};
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then' || key === '__esModule') return undefined; // not a promise; default import = the stub itself
      if (key === Symbol.toPrimitive || key === 'toString' || key === 'valueOf') return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toStringTag) return 'SafariStub(' + name + ')';
      if (key === 'toJSON') return shaped('in a table definition');
      return make(false);
    },
    apply: () => make(false),
    construct: () => make(false),
    // esbuild's __toESM copies the module's own keys and reads the rest through the prototype: it answers every name.
    getPrototypeOf: () => protoStub,
    ownKeys: (t) => {
      if (!root) shaped('as an object whose keys are spread or listed (e.g. columns)')();
      return Reflect.ownKeys(t);
    },
    has: () => true,
  });
};
const protoStub = new Proxy({}, { get: (_t, key) => (key === 'then' || key === '__esModule' ? undefined : make(false)) });
module.exports = make(true);
`;
}
