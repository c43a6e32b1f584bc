/** The network of THEORY §4 and the README: relu(x1 − x2/4 + 0.5), then ×1.5, as network JSON version 1. */
export function theoryNetJson(format = 'Q3.4') {
  return {
    fxnn: 1,
    format,
    inputs: 2,
    layers: [
      {
        activation: 'relu',
        neurons: [
          {
            bias: '0.5',
            edges: [
              [0, '1'],
              [1, '-0.25'],
            ],
          },
        ],
      },
      { activation: 'identity', neurons: [{ bias: '0', edges: [[0, '1.5']] }] },
    ],
  };
}
