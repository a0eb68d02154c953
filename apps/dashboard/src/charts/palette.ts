/** Colours shared by the charts (the stylesheet has the same ones as custom properties). */
export const PALETTE = {
  domestic: '#1b7f5a',
  foreign: '#2f5f98',
  unknown: '#8a8f98',
  /** Bars whose origin the answer does not say. */
  neutral: '#4f8a8b',
  installed: '#2f5f98',
  inStock: '#7fa7d6',
  onOrder: '#c9a227',
  rentedOut: '#7b4fa3',
  classes: { '3A090.a': '#9b2c2c', '3A090.b': '#d9822b', 'not-controlled': '#5a7d9a', 'cannot-classify': '#8a8f98' } as Record<string, string>,
  vendors: ['#2f5f98', '#1b7f5a', '#9b2c2c', '#d9822b', '#7b4fa3', '#4f8a8b', '#8a6d3b', '#5a7d9a'],
};
