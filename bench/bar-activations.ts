/** The activations issue 12's bars name (16-, 24- and 32-bit cells): the benches that run the bar share it. */
export const BAR_ACTIVATIONS: readonly string[] = [
  'relu',
  'sigmoid',
  'tanh',
  'silu',
  'gelu',
  'elu',
  'softplus',
  'mish',
  'leaky-relu',
  'hard-swish',
  'identity',
];
