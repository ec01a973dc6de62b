"""Keras reference timings for `make bench`: the seed architectures, one epoch each on synthetic
28x28 data, on this machine's CPU. A development tool only; swift-lab never runs Python.

Prints one JSON object per line: name, and the median seconds of REPEAT epochs (3 unless
--repeat says otherwise), timed by a callback after a first epoch that is not counted (it includes
tracing), as swift-lab-bench reports the median of its own epochs.

With --interleave COMMAND, the other side's epochs alternate with these: before or after each
timed epoch (in turn, so that neither side always goes first) this runs COMMAND NAME
--samples-scale F --repeat 1 (--no-ceiling after the first), appends what it prints to the file
named by --swift-log and shows it, with what it writes to standard error. Each epoch of one side
then has the other's next to it in time, on a machine whose speed drifts from minute to minute.
Usage: python3 bench/keras_reference.py [--samples-scale F] [--repeat N] [--interleave COMMAND --swift-log FILE] [NAME...]
"""
import json
import os
import shlex
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402


class VAE(keras.Model):
    """Encoder to (mean, log-variance), reparameterised z, decoder; loss = summed BCE + KL."""

    def __init__(self, encoder, decoder, latent, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder, self.latent = encoder, decoder, latent
        self.seed = keras.random.SeedGenerator(1)

    def train_step(self, data):
        import tensorflow as tf
        with tf.GradientTape() as tape:
            mean, log_var = self.encoder(data)
            eps = keras.random.normal(ops.shape(mean), seed=self.seed)
            z = mean + ops.exp(0.5 * log_var) * eps
            reconstruction = self.decoder(z)
            flat_x = ops.reshape(data, (-1, 784))
            flat_r = ops.reshape(reconstruction, (-1, 784))
            rec = ops.sum(keras.losses.binary_crossentropy(flat_x[..., None], flat_r[..., None]), axis=1)
            kl = -0.5 * ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=1)
            loss = ops.mean(rec + kl)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": loss}


class EpochTimes(keras.callbacks.Callback):
    """Seconds of each epoch of one `fit`: the epochs of one run share its data pipeline, as a
    lab's epochs share theirs."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def vae(encoder_layers, latent, decoder_layers, input_shape):
    x = keras.Input(input_shape)
    h = x
    for layer in encoder_layers:
        h = layer(h)
    encoder = keras.Model(x, [layers.Dense(latent)(h), layers.Dense(latent)(h)])
    z = keras.Input((latent,))
    y = z
    for layer in decoder_layers:
        y = layer(y)
    return VAE(encoder, keras.Model(z, y), latent)


def sequential(layer_list, input_shape):
    return keras.Sequential([keras.Input(input_shape)] + layer_list)


def cases():
    conv = dict(padding="same", activation="relu")
    return {
        "mlp-vae-000": (lambda: vae([layers.Flatten(), layers.Dense(400, activation="relu")], 2,
                                    [layers.Dense(400, activation="relu"), layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28, 1))],
                                    (28, 28, 1)), "rmsprop", None, 60000, 100),
        "dense-ae-001": (lambda: sequential([layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(16, activation="relu"),
                                             layers.Dense(64, activation="relu"), layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28, 1))],
                                            (28, 28, 1)), "adam", "mse", 60000, 256),
        "conv-vae-002": (lambda: vae([layers.Conv2D(32, 3, strides=2, **conv), layers.Conv2D(64, 3, strides=2, **conv), layers.Flatten(),
                                      layers.Dense(16, activation="relu")], 3,
                                     [layers.Dense(7 * 7 * 64, activation="relu"), layers.Reshape((7, 7, 64)),
                                      layers.Conv2DTranspose(64, 3, strides=2, **conv), layers.Conv2DTranspose(32, 3, strides=2, **conv),
                                      layers.Conv2DTranspose(1, 3, padding="same", activation="sigmoid")],
                                     (28, 28, 1)), "adam", None, 63000, 128),
        "student-vae-003": (lambda: vae([layers.Flatten(), layers.Dense(512, activation="relu"), layers.Dense(256, activation="relu")], 16,
                                        [layers.Dense(256, activation="relu"), layers.Dense(512, activation="relu"),
                                         layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28, 1))],
                                        (28, 28, 1)), "adam", None, 54000, 128),
        "conv-ae-004": (lambda: sequential([layers.Conv2D(32, 3, strides=2, **conv), layers.Conv2D(64, 3, strides=2, **conv),
                                            layers.Conv2D(2, 7, padding="valid"),
                                            layers.Conv2DTranspose(64, 7, padding="valid", activation="relu"),
                                            layers.Conv2DTranspose(32, 3, strides=2, **conv),
                                            layers.Conv2DTranspose(1, 7, strides=2, padding="same")],
                                           (28, 28, 1)), "adam", "mse", 6265, 32),
    }


def main():
    args = sys.argv[1:]
    scale = 1.0
    if "--samples-scale" in args:
        i = args.index("--samples-scale")
        try:
            scale = float(args[i + 1])
        except (IndexError, ValueError):
            sys.exit("--samples-scale needs a number")
        if not 0 < scale <= 100:
            sys.exit("--samples-scale must be above 0 and at most 100")
        del args[i:i + 2]
    repeats = 3
    if "--repeat" in args:
        i = args.index("--repeat")
        try:
            repeats = int(args[i + 1])
        except (IndexError, ValueError):
            repeats = 0
        if not 1 <= repeats <= 100:
            sys.exit("--repeat must be a whole number of epochs from 1 to 100")
        del args[i:i + 2]
    interleave, swift_log = None, None
    if "--interleave" in args or "--swift-log" in args:
        try:
            i = args.index("--interleave")
            interleave = shlex.split(args[i + 1])
            del args[i:i + 2]
            i = args.index("--swift-log")
            swift_log = args[i + 1]
            del args[i:i + 2]
        except (IndexError, ValueError):
            sys.exit("--interleave COMMAND and --swift-log FILE go together")
        if not interleave:
            sys.exit("--interleave needs a command")

    def other_side(name, first):
        """One run of the other side's command, its output appended to the log."""
        command = interleave + [name, "--samples-scale", str(scale), "--repeat", "1"] + ([] if first else ["--no-ceiling"])
        try:
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            with open(swift_log, "a") as log:
                log.write(run.stdout)
        except OSError as error:
            sys.exit(f"--interleave: {error}")
        if run.returncode != 0:
            sys.exit(f"--interleave: {shlex.join(command)} exited with status {run.returncode}: {run.stderr.strip()[-500:]}")
        # Shown with this side's lines (whose own standard error, TensorFlow's chatter, is not).
        print(run.stdout + run.stderr, end="", flush=True)

    rng = np.random.default_rng(2)
    for name, (build, optimizer, loss, samples, batch) in cases().items():
        if args and name not in args:
            continue
        n = max(1, int(samples * scale))
        x = rng.random((n, 28, 28, 1), dtype=np.float32)
        model = build()
        model.compile(optimizer=optimizer, loss=loss)
        target = x if loss else None
        times = EpochTimes()
        if interleave:
            # The untimed first epoch, then REPEAT pairs; one `fit` per epoch reuses the traced step.
            model.fit(x, target, epochs=1, batch_size=batch, verbose=0, callbacks=[times])
            for r in range(repeats):
                if r % 2 == 0:
                    other_side(name, r == 0)
                model.fit(x, target, epochs=1, batch_size=batch, verbose=0, callbacks=[times])
                if r % 2 == 1:
                    other_side(name, False)
        else:
            model.fit(x, target, epochs=1 + repeats, batch_size=batch, verbose=0, callbacks=[times])
        times = times.seconds[1:]
        seconds = sorted(times)[len(times) // 2]
        print(json.dumps({"name": name, "samples": n, "keras_seconds_per_epoch": round(seconds, 3),
                          "keras_seconds_all": [round(t, 3) for t in times],
                          "parameters": int(model.count_params()) if not isinstance(model, VAE)
                          else int(model.encoder.count_params() + model.decoder.count_params())}), flush=True)


if __name__ == "__main__":
    main()
