/**
 * ModaLink place recognition (issue 4): losses and ground-plane frame distances so far;
 * the model, training and evaluation are still to come.
 */
export type { ModaLinkLossConfig, ModaLinkLossInputs } from './losses.js';
export {
  DEFAULT_MODALINK_LOSS_CONFIG, validateModaLinkLossConfig, lazyTripletLoss, midLevelTripletLoss, modaLinkLoss,
} from './losses.js';
export {
  KITTI_POSE_X, KITTI_POSE_Z, groundPositionsFromPoses, groundDistance, groundDistanceMatrix, positivesWithin, sampleNegatives,
} from './ground-distance.js';
