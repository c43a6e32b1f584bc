/**
 * The text of a network JSON v2 object: the header fields on their own lines, one layer header per
 * line and one neuron per line (compact for large networks, readable in diffs).
 */
export function networkV2Text(json: Record<string, unknown>): string {
  const head = Object.entries(json)
    .filter(([key]) => key !== 'layers')
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const layers = (json.layers as Array<Record<string, unknown>>).map((layer) => {
    const fields = Object.entries(layer)
      .filter(([key]) => key !== 'neurons')
      .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    const neurons = layer.neurons as unknown[] | undefined;
    if (!neurons) return `    { ${fields.join(', ')} }`;
    return `    { ${fields.join(', ')}, "neurons": [\n${neurons.map((n) => `      ${JSON.stringify(n)}`).join(',\n')}\n    ] }`;
  });
  return `{\n${head.join(',\n')},\n  "layers": [\n${layers.join(',\n')}\n  ]\n}\n`;
}
