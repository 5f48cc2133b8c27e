/** Explanations of the classifier: CAM methods, feature-map grids, captions, a bench. */
export * from './cam';
export * from './activations';
export * from './captions';
export { benchClassifier, type ClassifierBench } from './bench';
