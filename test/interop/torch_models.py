"""Tiny PyTorch models exported to ONNX for graphc's import tests.

usage: torch_models.py OUT_DIR [NAME ...]

For each model NAME it writes OUT_DIR/NAME.onnx (torch.onnx.export, opset 13)
and OUT_DIR/NAME.json: the sample input it was exported with ("input", a
flat list, and "shape") and PyTorch's output on it ("output", "outputShape"),
so the test can compare graphc's output on the imported weights. Models are
seeded and in eval mode (BatchNorm uses its running statistics).
"""
import json
import os
import sys

import torch
from torch import nn


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=1, padding=0)
        self.bn2 = nn.BatchNorm2d(6)
        self.avg = nn.AvgPool2d(2)
        self.head = nn.Linear(6, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = self.avg(torch.relu(self.bn2(self.conv2(x))))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.head(x)


class Rnn(nn.Module):
    """A 2-layer bidirectional batch_first GRU or LSTM and a dense head on its last step."""

    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(input_size=5, hidden_size=6, num_layers=2, batch_first=True, bidirectional=True)
        self.head = nn.Linear(12, 3)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1, :])


class Encoder(nn.Module):
    """An nn.TransformerEncoderLayer (batch_first) and a dense head on the mean over time."""

    def __init__(self, activation='gelu', norm_first=False):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, activation=activation, batch_first=True, norm_first=norm_first)
        self.head = nn.Linear(8, 4)

    def forward(self, x):
        return self.head(self.layer(x).mean(dim=1))


def build(name):
    if name == 'mlp':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 10)), [3, 1, 28, 28]
    if name == 'mlp_softmax':
        return nn.Sequential(nn.Linear(6, 8), nn.Sigmoid(), nn.Linear(8, 4), nn.LogSoftmax(dim=1)), [3, 6]
    if name == 'cnn':
        return Cnn(), [2, 1, 12, 12]
    if name == 'gru':
        return Rnn(nn.GRU), [2, 4, 5]
    if name == 'lstm':
        return Rnn(nn.LSTM), [2, 4, 5]
    if name == 'transformer':
        return Encoder(), [2, 5, 8]
    if name == 'transformer_prenorm':
        return Encoder(norm_first=True), [2, 5, 8]
    if name == 'transformer_relu':
        return Encoder(activation='relu'), [2, 5, 8]
    if name == 'transformer_relu_prenorm':
        return Encoder(activation='relu', norm_first=True), [2, 5, 8]
    if name == 'bigru_mnist':
        # docs/interop.md's walk-through: rows of an MNIST image as a sequence.
        class BiGru(nn.Module):
            def __init__(self):
                super().__init__()
                self.gru = nn.GRU(28, 32, batch_first=True, bidirectional=True)
                self.head = nn.Linear(64, 10)

            def forward(self, x):
                out, _ = self.gru(x)
                return self.head(out[:, -1, :])

        return BiGru(), [1, 28, 28]
    raise SystemExit(f'unknown model {name}')


def main():
    out_dir = sys.argv[1]
    names = sys.argv[2:] or ['mlp', 'mlp_softmax', 'cnn', 'gru', 'lstm', 'transformer']
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        torch.manual_seed(0)
        model, shape = build(name)
        if name == 'cnn':
            # Running statistics that are not the identity, so the import must carry them.
            with torch.no_grad():
                for bn in (model.bn1, model.bn2):
                    bn.running_mean.uniform_(-0.5, 0.5)
                    bn.running_var.uniform_(0.5, 1.5)
                    bn.weight.uniform_(0.5, 1.5)
                    bn.bias.uniform_(-0.5, 0.5)
        if name.startswith('transformer'):
            # LayerNorm's γ and β start at 1 and 0: random ones, so an importer that drops them shows.
            with torch.no_grad():
                for norm in (model.layer.norm1, model.layer.norm2):
                    norm.weight.uniform_(0.5, 1.5)
                    norm.bias.uniform_(-0.5, 0.5)
                model.layer.self_attn.in_proj_bias.uniform_(-0.5, 0.5)
                model.layer.self_attn.out_proj.bias.uniform_(-0.5, 0.5)
        model.eval()
        x = torch.rand(shape) * 2 - 1
        with torch.no_grad():
            y = model(x)
        path = os.path.join(out_dir, f'{name}.onnx')
        # PRESERVE keeps BatchNormalization a node of its own (in EVAL the exporter folds it into the Conv before it).
        torch.onnx.export(model, (x,), path, opset_version=13, input_names=['input'], output_names=['output'],
                          dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}}, training=torch.onnx.TrainingMode.PRESERVE)
        with open(os.path.join(out_dir, f'{name}.json'), 'w') as f:
            json.dump({'shape': list(shape), 'input': x.flatten().tolist(), 'outputShape': list(y.shape), 'output': y.flatten().tolist()}, f)


if __name__ == '__main__':
    main()
