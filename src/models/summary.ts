// A model's layers, output shapes and parameter counts, like Keras's `model.summary()`.
import { BuiltModel } from './build';
import { ModelKind } from './configs';

export interface LayerSummary {
  name: string;
  type: string;
  /** Output shape with the batch axis as null, e.g. [null, 100, 64]. */
  outputShape: (number | null)[];
  params: number;
}

/** The model's layers, output shapes and parameter counts, like Keras's `model.summary()`. */
export function summary(m: BuiltModel): {
  kind: ModelKind;
  params: number;
  layers: LayerSummary[];
  note?: string;
} {
  const layers = m.model.layers.map((l) => ({
    name: l.name,
    type: l.getClassName(),
    outputShape: l.outputShape as (number | null)[],
    params: l.countParams(),
  }));
  const note =
    m.kind === 'lstm-blog' || m.kind === 'lstm-seq' || m.kind === 'lstm-attention'
      ? "LSTM weights keep PyTorch's two bias vectors (b_ih and b_hh), so the count matches nn.LSTM; a Keras-style LSTM has one and 4·hidden fewer parameters per direction."
      : undefined;
  return { kind: m.kind, params: m.model.countParams(), layers, note };
}
