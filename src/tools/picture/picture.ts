/**
 * A picture of a compiled graph: every placeholder and node with its op and
 * inferred type, edges from inputs (solid) and from placeholders named in
 * attributes (dashed, labelled). Written as Graphviz DOT or Mermaid; SVG is
 * DOT laid out by Graphviz compiled to WebAssembly (no system binaries).
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { displayPath } from '../../common/fs.js';
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { formatType, type TensorType } from '../../compiler/types/tensor.js';
import { parseReference } from '../../compiler/types/reference.js';

export const GRAPH_FORMATS = ['svg', 'dot', 'mermaid'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

type Role = 'placeholder' | 'unused' | 'variable' | 'op' | 'loss' | 'metric';

interface Vertex {
  readonly name: string;
  /** The op, or 'placeholder'. */
  readonly kind: string;
  /** One type; a multi-output node's, one per output. */
  readonly types: readonly TensorType[];
  readonly role: Role;
  /** Owns trainable variables (variable, dense, rnn). */
  readonly trainable: boolean;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  /** The attribute that names `from`, for references outside `inputs`. */
  readonly attribute?: string;
}

/** The vertices and edges of a graph, in the IR's order. */
function layout(graph: IrGraph): { vertices: Vertex[]; edges: Edge[] } {
  const metricNodes = new Set(graph.train.metrics.map((m) => m.node));
  const vertices: Vertex[] = graph.placeholders.map((p) => ({
    name: p.name,
    kind: 'placeholder',
    types: [p.type],
    role: p.used ? 'placeholder' : 'unused',
    trainable: false,
  }));
  const edges: Edge[] = [];
  for (const node of graph.nodes) {
    const role: Role = node.name === graph.train.loss ? 'loss' : metricNodes.has(node.name) ? 'metric' : node.op.name === 'variable' ? 'variable' : 'op';
    vertices.push({ name: node.name, kind: node.op.name, types: node.outputs ?? [node.type], role, trainable: node.variables !== undefined });
    for (const input of node.inputs) edges.push({ from: parseReference(input).name, to: node.name });
    for (const ref of node.op.attributeReferences?.(node.attrs) ?? []) edges.push({ from: parseReference(ref.name).name, to: node.name, attribute: ref.path });
  }
  return { vertices, edges };
}

/** A vertex's type; a multi-output node's, one per output. */
function typeLabel(v: Vertex): string {
  return v.types.map(formatType).join(', ');
}

/** Fill and border of each role. */
const STYLE: Record<Role, { fill: string; border: string; extra?: string }> = {
  placeholder: { fill: '#e8eef9', border: '#5b7bb2' },
  unused: { fill: '#f4f4f4', border: '#aaaaaa', extra: 'dashed' },
  variable: { fill: '#fdf3d8', border: '#c49a2c' },
  op: { fill: '#ffffff', border: '#777777' },
  loss: { fill: '#fbe3e0', border: '#c0392b', extra: 'bold' },
  metric: { fill: '#e3f4e6', border: '#3c8d50' },
};

function roleNote(v: Vertex): string {
  if (v.role === 'loss') return ' · loss';
  if (v.role === 'metric') return ' · metric';
  if (v.role === 'unused') return ' · unused';
  return v.trainable && v.role !== 'variable' ? ' · trainable' : '';
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The graph as Graphviz DOT. */
export function graphToDot(graph: IrGraph): string {
  const { vertices, edges } = layout(graph);
  const lines = [
    `digraph ${dotString(graph.name)} {`,
    `  graph [rankdir=TB, fontname="Helvetica", fontsize=16, labelloc=t, label=${dotString(`${graph.name} (${displayPath(graph.file)})`)}, nodesep=0.3, ranksep=0.35, bgcolor=white];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, margin="0.2,0.06"];',
    '  edge [color="#666666", arrowsize=0.7, fontname="Helvetica", fontsize=9, fontcolor="#666666"];',
  ];
  for (const v of vertices) {
    const style = STYLE[v.role];
    const label = `<<b>${html(v.name)}</b><br/><font point-size="10">${html(v.kind + roleNote(v))}</font><br/><font point-size="10" color="#555555">${html(typeLabel(v))}</font>>`;
    const styleList = ['rounded', 'filled', ...(style.extra ? [style.extra] : [])].join(',');
    lines.push(`  ${dotString(v.name)} [label=${label}, fillcolor="${style.fill}", color="${style.border}", style="${styleList}"${v.kind === 'placeholder' ? ', shape=ellipse' : ''}];`);
  }
  for (const e of edges) {
    const attrs = e.attribute ? ` [style=dashed, label=${dotString(e.attribute)}]` : '';
    lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${attrs};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The graph as a Mermaid flowchart (GitHub and many editors render it). */
export function graphToMermaid(graph: IrGraph): string {
  const { vertices, edges } = layout(graph);
  // Ids get a prefix: Mermaid reserves some words (`end`, `graph`) that are valid node names.
  const id = (name: string): string => `n_${name}`;
  const lines = ['flowchart TD'];
  for (const v of vertices) {
    const text = `"<b>${v.name}</b><br/>${v.kind}${roleNote(v)}<br/>${typeLabel(v)}"`;
    lines.push(`  ${id(v.name)}${v.kind === 'placeholder' ? `([${text}])` : `[${text}]`}`);
  }
  for (const e of edges) lines.push(e.attribute ? `  ${id(e.from)} -.->|${e.attribute}| ${id(e.to)}` : `  ${id(e.from)} --> ${id(e.to)}`);
  for (const [role, style] of Object.entries(STYLE)) {
    const members = vertices.filter((v) => v.role === role).map((v) => id(v.name));
    if (members.length === 0) continue;
    lines.push(`  classDef ${role} fill:${style.fill},stroke:${style.border}${style.extra === 'dashed' ? ',stroke-dasharray:4 3' : style.extra === 'bold' ? ',stroke-width:2px' : ''}`);
    lines.push(`  class ${members.join(',')} ${role}`);
  }
  return `${lines.join('\n')}\n`;
}

let graphviz: Promise<Graphviz> | undefined;

/** DOT laid out and drawn as SVG by Graphviz (WebAssembly). */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).dot(dot, 'svg');
}

export async function renderGraph(graph: IrGraph, format: GraphFormat): Promise<string> {
  switch (format) {
    case 'dot':
      return graphToDot(graph);
    case 'mermaid':
      return graphToMermaid(graph);
    case 'svg':
      return dotToSvg(graphToDot(graph));
  }
}
