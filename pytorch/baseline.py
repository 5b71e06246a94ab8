#!/usr/bin/env python3
"""graphc bench --baseline pytorch: the spec's model written in PyTorch, timed
as graphc times its own (bench/timing.ts): warm-up steps and one warm-up
evaluation batch untimed, then each training step and each evaluation batch
timed on its own, making the batch's tensors and reading the loss back
included.

Reads one JSON request on stdin (model, params, optimizer, plan, seed,
threads) and writes JSON lines on stdout: progress lines, then a result line,
or one "unavailable" line when torch cannot be imported (graphc then prints a
skip line) or a "failed" line. The inputs are random numbers of MNIST's shapes
and one-hot labels: a step's cost does not depend on the pixel values.
"""
import json
import os
import sys
import time


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def clock_ms(clock):
    if clock == "cpu":
        return time.process_time() * 1000.0
    return time.perf_counter() * 1000.0


def positive_int(params, model, name):
    value = params.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"the PyTorch baseline for '{model}' needs the param '{name}' to be a positive integer (it is {json.dumps(value)})")
    return value


# The reference notebook's DropoutWrapper keep probability in training (as the tfjs-layers baselines).
DROPOUT_RATE = 1 - 0.5


def build(torch, request):
    nn = torch.nn
    model_name = request["model"]
    params = request["params"]
    size = lambda name: positive_int(params, model_name, name)

    if model_name in ("bigru", "gru", "lstm"):
        steps, inputs, units, layers, classes = (size(p) for p in ("timestep_size", "input_size", "hidden_size", "layer_num", "class_num"))
        bidirectional = model_name == "bigru"
        cell = nn.LSTM if model_name == "lstm" else nn.GRU

        class Recurrent(nn.Module):
            def __init__(self):
                super().__init__()
                # dropout= drops between layers; the last layer's outputs are dropped below (output_keep_prob on every layer).
                self.rnn = cell(inputs, units, num_layers=layers, batch_first=True, bidirectional=bidirectional, dropout=DROPOUT_RATE if layers > 1 else 0.0)
                self.dropout = nn.Dropout(DROPOUT_RATE)
                self.dense = nn.Linear(units * (2 if bidirectional else 1), classes)

            def forward(self, x):
                out, _ = self.rnn(x.view(-1, steps, inputs))
                out = self.dropout(out)
                # bigru averages over time; gru and lstm read the last step.
                features = out.mean(dim=1) if bidirectional else out[:, -1, :]
                return self.dense(features)

        kind = "nn.LSTM" if model_name == "lstm" else "nn.GRU"
        description = f"{kind}({'bidirectional, ' if bidirectional else ''}{layers} layer{'s' if layers != 1 else ''})"
        return Recurrent(), description

    if model_name == "cnn":
        conv1, conv2, fc, classes = (size(p) for p in ("conv1_features", "conv2_features", "fc_units", "class_num"))
        model = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),
            nn.Conv2d(1, conv1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(conv1, conv2, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(7 * 7 * conv2, fc), nn.ReLU(), nn.Dropout(DROPOUT_RATE), nn.Linear(fc, classes),
        )
        return model, "nn.Conv2d × 2 + nn.Linear"

    if model_name == "convnet":
        conv1, conv2, classes = (size(p) for p in ("conv1_filters", "conv2_filters", "class_num"))
        # graphs/convnet.yaml: 3×3 VALID convolutions without bias, each batch-normed (epsilon 1e-3, its
        # momentum 0.9 is PyTorch's momentum=0.1) before its ReLU and 2×2 max-pool; dropout 0.5 before the readout.
        norm = lambda channels: nn.BatchNorm2d(channels, eps=1e-3, momentum=0.1)
        model = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),
            nn.Conv2d(1, conv1, 3, bias=False), norm(conv1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(conv1, conv2, 3, bias=False), norm(conv2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(5 * 5 * conv2, classes),
        )
        return model, "nn.Conv2d + nn.BatchNorm2d × 2 + nn.Linear"

    if model_name == "transformer":
        d_model, heads, ff_units, classes = (size(p) for p in ("d_model", "heads", "ff_units", "class_num"))
        # graphs/transformer.yaml: 2 pre-norm encoder blocks, attention dropout 0.1 (keep_prob 0.9), none elsewhere.
        block = lambda: nn.TransformerEncoderLayer(d_model, heads, ff_units, dropout=0.0, batch_first=True, norm_first=True)

        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.tokens = nn.Linear(28, d_model)
                self.positions = nn.Parameter(torch.randn(28, d_model) * 0.02)
                self.blocks = nn.ModuleList([block() for _ in range(2)])
                for b in self.blocks:
                    b.self_attn.dropout = 0.1
                self.norm = nn.LayerNorm(d_model)
                self.readout = nn.Linear(d_model, classes)

            def forward(self, x):
                h = self.tokens(x.view(-1, 28, 28)) + self.positions
                for b in self.blocks:
                    h = b(h)
                return self.readout(self.norm(h).mean(dim=1))

        return Encoder(), f"nn.TransformerEncoderLayer(norm_first) × 2, d_model {d_model}, {heads} heads"

    raise LookupError(model_name)


def optimizer_for(torch, model, config):
    kind, lr, params = config["type"], config["learningRate"], model.parameters()
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(config["beta1"], config["beta2"]), eps=config["epsilon"])
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(config["beta1"], config["beta2"]), eps=config["epsilon"], weight_decay=config["weightDecay"])
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=config["decay"], eps=config["epsilon"], momentum=config["momentum"], centered=config["centered"])
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, initial_accumulator_value=config["initialAccumulatorValue"])
    return torch.optim.SGD(params, lr=lr, momentum=config.get("momentum", 0), nesterov=config.get("nesterov", False))


def run(request):
    try:
        import torch
    except Exception as error:  # ImportError, or a broken install's own error
        reply({"type": "unavailable", "reason": f"{sys.executable} cannot import torch ({type(error).__name__}: {error})"})
        return

    threads = int(request["threads"])
    torch.set_num_threads(threads)
    torch.manual_seed(request["seed"])
    try:
        model, description = build(torch, request)
    except LookupError:
        reply({"type": "unavailable", "reason": f"no PyTorch baseline for a model named '{request['model']}' (there are for bigru, gru, lstm, cnn, convnet, transformer)"})
        return
    optimizer = optimizer_for(torch, model, request["optimizer"])
    loss_of = torch.nn.CrossEntropyLoss()
    plan = request["plan"]
    generator = torch.Generator().manual_seed(request["seed"])

    def batch(size):
        images = torch.rand(size, 784, generator=generator)
        labels = torch.randint(0, 10, (size,), generator=generator)
        return images, labels

    def train_step():
        model.train()
        images, labels = batch(plan["batchSize"])
        optimizer.zero_grad()
        loss = loss_of(model(images), labels)
        loss.backward()
        optimizer.step()
        loss.item()

    def eval_batch():
        model.eval()
        with torch.no_grad():
            images, labels = batch(plan["evalBatchSize"])
            logits = model(images)
            loss_of(logits, labels).item()
            (logits.argmax(dim=1) == labels).float().mean().item()

    def timed(count, phase, run_once):
        times = []
        for i in range(count):
            reply({"type": "progress", "phase": phase, "done": i, "total": count})
            start = clock_ms(plan["clock"])
            run_once()
            times.append(clock_ms(plan["clock"]) - start)
        return times

    for i in range(plan["warmup"]):
        reply({"type": "progress", "phase": "warm-up", "done": i, "total": plan["warmup"]})
        train_step()
    if plan["warmup"] > 0:
        eval_batch()
    train = timed(plan["steps"], "train", train_step)
    evaluation = timed(plan["evalBatches"], "eval", eval_batch)
    env = ", ".join(f"{name}={os.environ.get(name, 'unset')}" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"))
    reply({
        "type": "result",
        "result": {
            "description": f"PyTorch {torch.__version__} {description}, {torch.get_num_threads()} thread{'s' if torch.get_num_threads() != 1 else ''} (torch.set_num_threads({threads}); {env})",
            "parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
            "times": {"train": train, "eval": evaluation},
        },
    })


def main():
    request = json.loads(sys.stdin.read())
    try:
        run(request)
    except Exception as error:
        reply({"type": "failed", "message": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
