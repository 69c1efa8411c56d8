"""Image-size label maps of the CAM-only and the random-walk predictions,
made the same way by the inference stages (infer_cam, infer_rw) and by
walk_ceiling."""
from .affinity import l1_affinity, random_walk, transition
from .dataset import image_side
from .maps import (channel_argmax, grid_scores, input_cams, input_labels, labels_to_image, walk_labels_at_image,
                   with_background_class, with_constant_background)


def cam_prediction(cams, classes, cfg):
    """CAM-only label maps at image size: argmax against a constant background
    at the network's input resolution, scaled to the image."""
    scores = with_constant_background(input_cams(cams, cfg), cfg['cam']['bg_score'])
    return labels_to_image(channel_argmax(scores, with_background_class(classes)), image_side(cfg)).numpy()


def walk_labels(embed, cams, classes, cfg, alpha=None, beta=None, pair=l1_affinity, peaks=True):
    """Embeddings (B, D, H, W), grid CAMs (B, K, H, W), class ids (B, K) ->
    uint8 image-size label maps (B, size, size) after the walk; alpha and beta default
    to the config's, `pair` turns two cells' embeddings into W. `peaks`: each
    walked class over its peak before the argmax (the app's revised-CAM mask);
    False gives psa's argmax of the walked maps as they are."""
    hp = cfg['rw']
    offsets, trans = transition(embed, hp['radius'], hp['beta'] if beta is None else beta, pair)
    walked = random_walk(grid_scores(cams, hp['alpha'] if alpha is None else alpha, cfg), offsets, trans, hp['steps'])
    labels = walk_labels_at_image if peaks else input_labels
    return labels(walked, with_background_class(classes), cfg, image_side(cfg)).numpy()
