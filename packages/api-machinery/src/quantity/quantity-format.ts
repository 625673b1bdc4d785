/** How a quantity is written back: the suffix family it was parsed with. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';
