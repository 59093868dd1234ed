/**
 * The README's architecture table, generated from the architecture table itself so the two
 * cannot drift (a unit test compares the README with this output).
 */
import { ARCHITECTURES, MODEL_TYPE_ALIASES, SUPPORTED_MODEL_TYPES, type ArchitectureSpec, type Flag } from './architectures';

function flag(value: Flag | undefined, yes: string): string {
  if (value === undefined || value === false) return '';
  if (value === true) return yes;
  return `${yes} (\`${value.key}\`, default ${value.default})`;
}

function attention(spec: ArchitectureSpec): string {
  const parts: string[] = [];
  if (spec.attention.mla) parts.push('MLA');
  else if (spec.kvHeads.kind === 'mha') parts.push('MHA');
  else if (spec.kvHeads.kind === 'multi-query-flag') parts.push(`MQA (\`${spec.kvHeads.flag}\`)`);
  else if (spec.kvHeads.kind === 'falcon') parts.push('MQA / GQA (`new_decoder_architecture`, `num_kv_heads`)');
  else if (spec.kvHeads.kind === 'groups-flag') parts.push(`GQA (\`${spec.kvHeads.groups}\`)`);
  else parts.push(spec.kvHeads.default !== undefined ? `GQA (kv default ${spec.kvHeads.default})` : 'GQA');
  if (spec.attention.fused) parts.push('fused QKV');
  const qkv = flag(spec.attention.qkvBias, 'QKV bias');
  const out = flag(spec.attention.outBias, 'out bias');
  if (qkv) parts.push(qkv);
  if (out) parts.push(out);
  const qk = spec.attention.qkNorm;
  if (qk) parts.push(`q/k norm ${qk.width}${qk.when ? ` (\`${typeof qk.when === 'boolean' ? '' : qk.when.key}\`)` : ''}`);
  if (spec.attention.sinks) parts.push('sinks');
  if (spec.defaults.headDim !== undefined) parts.push(`head_dim ${spec.defaults.headDim}`);
  return parts.join(', ');
}

function norms(spec: ArchitectureSpec): string {
  const variant = typeof spec.norm.variant === 'string' ? spec.norm.variant : `${spec.norm.variant.ifTrue} / ${spec.norm.variant.ifFalse} (\`${spec.norm.variant.flag}\`)`;
  const parallel = spec.parallel === undefined ? '' : spec.parallel === true ? ', parallel' : typeof spec.parallel === 'object' ? `, parallel (\`${spec.parallel.key}\`)` : '';
  const embedding = spec.norm.embedding ? ', embedding norm' : '';
  return `${spec.norm.names.length} × ${variant}${parallel}${embedding}`;
}

function mlp(spec: ArchitectureSpec): string {
  const bias = flag(spec.mlp.bias, 'bias');
  return `${spec.mlp.kind}${bias ? `, ${bias}` : ''}`;
}

function moe(spec: ArchitectureSpec): string {
  const m = spec.moe;
  if (!m) return '';
  const parts = [`\`${m.experts.keys[0]}\``, `top-k \`${m.topK.keys[0]}\``];
  if (m.shared) parts.push(m.shared.gate ? 'shared + gate' : 'shared');
  if (m.routerBias) parts.push('router bias');
  if (m.expertBias) parts.push('expert bias');
  if (m.layers !== 'all') parts.push(`layers: ${m.layers}`);
  return parts.join(', ');
}

function sliding(spec: ArchitectureSpec): string {
  const s = spec.sliding;
  if (!s) return '';
  const pattern = typeof s.pattern === 'string' ? s.pattern : `all but every \`${s.pattern.everyKey}\`-th (${s.pattern.default})`;
  return `\`${s.window}\`: ${pattern}`;
}

/** Markdown rows, one per model type, sorted; aliases listed after the table. */
export function architectureTableMarkdown(): string {
  const lines = [
    '| model_type | follows | attention | norms per layer | MLP | MoE | sliding window | tied by default | other |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const type of SUPPORTED_MODEL_TYPES) {
    const spec = ARCHITECTURES[type]!;
    const other: string[] = [];
    if (spec.positions === 'learned') other.push('learned positions');
    if (spec.positions === 'alibi') other.push('ALiBi');
    const head = flag(spec.lmHeadBias, 'LM head bias');
    if (head) other.push(head);
    if (spec.norm.final !== undefined) other.push(flag(spec.norm.final, 'final norm'));
    if (spec.textConfig) other.push('`text_config` + SigLIP vision tower');
    lines.push(`| \`${type}\` | ${spec.definition} | ${attention(spec)} | ${norms(spec)} | ${mlp(spec)} | ${moe(spec)} | ${sliding(spec)} | ${spec.defaults.tied ? 'yes' : 'no'} | ${other.join(', ')} |`);
  }
  const aliases = Object.entries(MODEL_TYPE_ALIASES).map(([alias, type]) => `\`${alias}\` → \`${type}\``);
  lines.push('', `Also read: ${aliases.join(', ')}.`);
  return lines.join('\n');
}
