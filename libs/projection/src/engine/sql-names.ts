/** Schema of the engine's own bookkeeping (generations registry, dead letters), shared by all projections. */
export const REGISTRY_SCHEMA = 'projections';

// Names end up inside SQL text (schemas cannot be bind parameters), so only plain identifiers pass;
// kebab-case names (the API's 'chip-mix') are allowed and become snake_case in schema names.
const IDENTIFIER = /^[a-z][a-z0-9_-]{0,40}$/;

/** Refuses a projection name that could not safely become part of a schema name. */
export function assertProjectionName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Projection name ${JSON.stringify(name)} must match ${IDENTIFIER} (it becomes a schema name)`);
  return name;
}

/** Each generation lives in its own schema, so two can be built and read side by side (blue/green). */
export function generationSchema(projection: string, generation: number): string {
  return `proj_${assertProjectionName(projection).replace(/-/g, '_')}_g${generation}`;
}

/** The consumer groups of one deployment (one read-model store): `<prefix>.<deployment id>`. */
export function deploymentGroupPrefix(deploymentId: string, prefix = 'chipledger.projection'): string {
  if (!/^[a-z0-9]{1,32}$/.test(deploymentId)) throw new Error(`Not a deployment id: ${JSON.stringify(deploymentId)}`);
  return `${prefix}.${deploymentId}`;
}

/** One consumer group per generation: a rebuild starts with no committed position anywhere. */
export function generationGroupId(projection: string, generation: number, prefix = 'chipledger.projection'): string {
  return `${prefix}.${projection}.g${generation}`;
}

/**
 * The consumer group of a shared feed (`KafkaSharedFeed`): `<prefix>.feed.<projection>.g<n>+…` in name order, so
 * instances running the same read models meet in one group; a feed of one generation keeps that generation's id.
 */
export function sharedFeedGroupId(generations: readonly { projection: string; generation: number }[], prefix = 'chipledger.projection'): string {
  if (generations.length === 1) return generationGroupId(generations[0].projection, generations[0].generation, prefix);
  const keys = generations.map((g) => `${g.projection}.g${g.generation}`).sort();
  return `${prefix}.feed.${keys.join('+')}`;
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Not a safe schema name: ${JSON.stringify(schema)}`);
  return schema;
}
