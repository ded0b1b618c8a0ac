/**
 * Plotly figure specs and arquero table formatting: pure data, no tslab, no files.
 * src/notebook displays these and writes them to figures/.
 */
export { axis, axisTitle, scene3d, missingAxisTitles, figureJson } from './figure.js';
export type { Figure, PlotlyTrace, PlotlyLayout, AxisSpec, Scene3dOptions } from './figure.js';
export { frame3d, rigidParts, AXIS_COLORS } from './frame-3d.js';
export type { Frame3dOptions } from './frame-3d.js';
export {
  figurePageHtml, figureOutputHtml, withSize, scriptSafeJson, escapeHtml, DEFAULT_FIGURE_SIZE_PX,
} from './figure-html.js';
export type { FigurePageOptions, FigureOutputOptions } from './figure-html.js';
export {
  tableToMarkdown, tableToCsv, tableToHtml, formatTable, formatNumber, DEFAULT_DECIMALS,
} from './table.js';
export type { TableLike, TableFormatOptions, FormattedTable } from './table.js';
export { parseRegions, listRegions, findRegion } from './source-region.js';
export type { SourceRegion } from './source-region.js';
export { colormap, depthToRgb, drawPoints } from './colormap.js';
export { evenSubsample, plotlyColorscale, pointCloudTrace, frustumCorners, frustumTrace, trajectoryTrace } from './geometry-figures.js';
export type { FrustumCamera, PointCloudTraceOptions, FrustumTraceOptions } from './geometry-figures.js';
export {
  imageLayout, imageTrace, imageWithPointsFigure, depthHeatmapData, depthImageFigure, depthImageGrid, histogramFigure,
} from './image-figures.js';
export type { RgbImageLike, ImageFigureSize, ImageWithPointsOptions, DepthHeatmapOptions, HistogramOptions } from './image-figures.js';
export {
  CATEGORY_COLORS, categoricalColorscale, heatmapGridFigure, lossCurvesFigure, clusterScatterFigure,
} from './nmf-figures.js';
export type { HeatmapGridOptions, LossCurvesOptions, ClusterScatterOptions } from './nmf-figures.js';
export { recallCurveFigure, retrievalFigure, descriptorScatterFigure, calibrationCurveFigure } from './recall-figures.js';
export type { RecallCurveOptions, RetrievalRow, RetrievalFigureOptions, DescriptorScatterOptions, CalibrationCurvePoint } from './recall-figures.js';
export { queryImageHeatmapsFigure, queryPointHeatmapsFigure, keypointPairsFigure } from './attention-figures.js';
export type { QueryHeatmapPanel, AttentionFigureOptions } from './attention-figures.js';
export {
  FRUSTUM_CLASSES, frustumConfusion, cameraTopView, frustumClassificationFigure, cameraPosesTopViewFigure, pairedErrorsFigure, poseErrorHistogramsFigure,
} from './pose-figures.js';
export { polarImageFigure, headingScoresFigure } from './bearing-figures.js';
export type { FrustumConfusion, TopViewCamera, TopViewOptions, PairedErrorsOptions, PoseErrorSeries, PoseErrorHistogramOptions } from './pose-figures.js';
export { localizationTopViewFigure, localizedShareFigure, localizationCalibrationFigure } from './localization-figures.js';
export type { WorldCamera, CandidateMarker, LocalizedShareSeries, CalibrationSharePoint } from './localization-figures.js';
