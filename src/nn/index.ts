/**
 * Reusable layers: the ResNet encoder (and torchvision weights), NMF, NetVLAD, k-means,
 * attention with learnable queries, soft keypoints. Hand-curated.
 */
export type { EncoderConfig } from './encoder-config.js';
export { DEFAULT_ENCODER_CONFIG, ENCODER_PRESETS, validateEncoderConfig, encoderOutputSize } from './encoder-config.js';
export type { Encoder, EncoderStages } from './resnet.js';
export { createEncoder } from './resnet.js';
export type { SafetensorsDtype, SafetensorsTensor, SafetensorsFile, SafetensorsInput } from './safetensors.js';
export {
  parseSafetensors, readSafetensors, encodeSafetensors, writeSafetensors, halfToFloat, floatToHalf, floatToBfloat16,
} from './safetensors.js';
export type { TorchvisionLoadReport } from './torchvision-resnet.js';
export { loadTorchvisionResnet, normalizeImagenet, IMAGENET_MEAN, IMAGENET_STD } from './torchvision-resnet.js';
export type { NmfMode, NmfConfig, NmfConfigInput, NmfInit, NmfOptions, NmfResult } from './nmf.js';
export { DEFAULT_NMF_CONFIG, validateNmfConfig, nmf, nmfJointReleased, nmfHeatmaps, nmfInit, nmfReference } from './nmf.js';
export type { SoftKmeansConfig } from './soft-kmeans.js';
export { softKmeans, softKmeansReference, softKmeansStart } from './soft-kmeans.js';
export type { NetVladConfig, NetVlad } from './netvlad.js';
export { DEFAULT_NETVLAD_CONFIG, validateNetVladConfig, createNetVlad } from './netvlad.js';
export type { KMeansConfig, KMeansResult } from './kmeans.js';
export { DEFAULT_KMEANS_CONFIG, validateKMeansConfig, kmeans } from './kmeans.js';
export { l2Normalize, L2_NORMALIZE_EPS } from './l2-normalize.js';
export type { AttentionResult, MultiHeadAttentionConfig, MultiHeadAttention } from './attention.js';
export {
  MASKED_LOGIT, scaledDotProductAttention, DEFAULT_MULTI_HEAD_ATTENTION_CONFIG, validateMultiHeadAttentionConfig,
  createMultiHeadAttention,
} from './attention.js';
export type { LearnableQueriesConfig, QueryDecoderOutput, LearnableQueries } from './learnable-queries.js';
export { DEFAULT_LEARNABLE_QUERIES_CONFIG, validateLearnableQueriesConfig, createLearnableQueries } from './learnable-queries.js';
export { softmaxWithTemperature, pixelGrid, softKeypoints2d, softKeypoints3d } from './soft-argmax.js';
export type { Dense, LayerNorm, FeedForward, Disposable } from './mlp.js';
export { glorotUniform, createDense, createLayerNorm, createFeedForward } from './mlp.js';
export type { FpsOptions, InterpolateOptions } from './point-ops.js';
export {
  farthestPointSampleArray, farthestPointSample, knnArray, knnIndices, gatherPointsTf, threeNnInterpolate,
} from './point-ops.js';
