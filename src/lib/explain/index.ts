/** Explanations of the classifier: CAM methods, feature-map grids, captions (its bench: bench/explain-bench.ts). */
export * from './cam';
export * from './activations';
export * from './captions';
