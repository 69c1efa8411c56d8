"""Writes a model folder in the tf.io weights format our TypeScript loaders
read: model.json {format, generatedBy, modelTopology, weightsManifest} plus
one float32 little-endian weights.bin in manifest order."""
import json
import os

import numpy as np


def write_model(folder, fmt, generated_by, topology, weights):
    """`weights` = [(name, array)]; returns the number of parameters written."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'weights.bin'), 'wb') as f:
        for _, array in weights:
            f.write(np.ascontiguousarray(array, dtype='<f4').tobytes())
    model = {
        'format': fmt,
        'generatedBy': generated_by,
        'modelTopology': topology,
        'weightsManifest': [{'paths': ['weights.bin'],
                             'weights': [{'name': n, 'shape': list(a.shape), 'dtype': 'float32'} for n, a in weights]}],
    }
    with open(os.path.join(folder, 'model.json'), 'w') as f:
        json.dump(model, f, indent=1)
    return sum(a.size for _, a in weights)
