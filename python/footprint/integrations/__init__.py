"""One-line callbacks for training frameworks.

Each module imports its framework when it is itself imported, never before:

- ``footprint.integrations.lightning.FootprintCallback``: PyTorch Lightning 2.x
  (``lightning.pytorch``, or ``pytorch_lightning`` where only that is installed);
- ``footprint.integrations.transformers.FootprintCallback``: a Hugging Face ``TrainerCallback``;
- ``footprint.integrations.keras.FootprintCallback``: a Keras 3 callback.
"""
