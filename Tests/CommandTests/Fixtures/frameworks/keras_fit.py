"""A Keras 3 fit (KERAS_BACKEND=jax) with Footprint's callback; writes Keras's own figures to argv[1]."""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np
from footprint.integrations.keras import FootprintCallback

facts_path = sys.argv[1]
keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 8)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2, activation="softmax")], name="tiny-keras")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0, callbacks=[FootprintCallback(samples_per_epoch=48)])
with open(facts_path, "w") as handle:
    json.dump({"parameters": model.count_params(), "accuracy": float(history.history["val_accuracy"][-1]), "epochs": 2}, handle)
