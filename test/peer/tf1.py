"""TF1's conventions written out in PyTorch, for the peer cases' `torch` code (in scope as `tf1`).

graphc follows TensorFlow 1.x: NHWC images, HWIO filters, SAME padding that
puts the odd pixel after, and TF1's recurrent cells with their own variable
layout. PyTorch has none of these built in, so they are written here by hand
from TF1's definitions, over plain torch ops (autograd gives the gradients).
"""
import torch
import torch.nn.functional as F


# ------------------------------------------------------------------ images


def same_padding(size, window, stride):
    """TF's SAME padding of one dimension: (before, after), the odd pixel after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def _pad_nchw(x, window, strides, padding, value):
    if padding == "VALID":
        return x
    top, bottom = same_padding(x.shape[2], window[0], strides[0])
    left, right = same_padding(x.shape[3], window[1], strides[1])
    return F.pad(x, (left, right, top, bottom), value=value)


def conv2d(x, w, strides, padding):
    """tf.nn.conv2d: x [N, H, W, C], w [kh, kw, C, O], strides [1, sh, sw, 1] → [N, H', W', O]."""
    s = (strides[1], strides[2])
    xc = _pad_nchw(x.permute(0, 3, 1, 2), (w.shape[0], w.shape[1]), s, padding, 0.0)
    return F.conv2d(xc, w.permute(3, 2, 0, 1), stride=s).permute(0, 2, 3, 1)


def max_pool(x, ksize, strides, padding):
    """tf.nn.max_pool on NHWC: SAME pads with -inf, so padding never wins a window."""
    k = (ksize[1], ksize[2])
    s = (strides[1], strides[2])
    xc = _pad_nchw(x.permute(0, 3, 1, 2), k, s, padding, float("-inf"))
    return F.max_pool2d(xc, k, stride=s).permute(0, 2, 3, 1)


# ------------------------------------------------------------------ recurrent cells


def gru_step(x, h, gates_kernel, gates_bias, candidate_kernel, candidate_bias):
    """tf.contrib.rnn.GRUCell: [r | u] = σ([x, h] W_g + b_g); c = tanh([x, r·h] W_c + b_c); h' = u·h + (1 − u)·c."""
    units = h.shape[1]
    value = torch.sigmoid(torch.cat([x, h], 1) @ gates_kernel + gates_bias)
    r, u = value[:, :units], value[:, units:]
    c = torch.tanh(torch.cat([x, r * h], 1) @ candidate_kernel + candidate_bias)
    return u * h + (1 - u) * c


def lstm_step(x, c, h, kernel, bias, forget_bias=1.0):
    """tf.contrib.rnn.BasicLSTMCell: [i | j | f | o] = [x, h] W + b; c' = c·σ(f + forget_bias) + σ(i)·tanh(j); h' = tanh(c')·σ(o)."""
    units = h.shape[1]
    gates = torch.cat([x, h], 1) @ kernel + bias
    i, j, f, o = (gates[:, k * units:(k + 1) * units] for k in range(4))
    c = c * torch.sigmoid(f + forget_bias) + torch.sigmoid(i) * torch.tanh(j)
    return c, torch.tanh(c) * torch.sigmoid(o)


def rnn(x, v, prefix, cell, reverse=False):
    """One cell over x [B, T, I] from a zero state, its variables v[prefix + '/…']; every step's output [B, T, H]."""
    batch, steps = x.shape[0], x.shape[1]
    lstm = cell.endswith("lstm")
    units = v[prefix + "/bias"].shape[0] // 4 if lstm else v[prefix + "/candidate/bias"].shape[0]
    h = x.new_zeros(batch, units)
    c = x.new_zeros(batch, units)
    outputs = [None] * steps
    for t in reversed(range(steps)) if reverse else range(steps):
        if lstm:
            c, h = lstm_step(x[:, t], c, h, v[prefix + "/kernel"], v[prefix + "/bias"])
        else:
            h = gru_step(x[:, t], h, v[prefix + "/gates/kernel"], v[prefix + "/gates/bias"], v[prefix + "/candidate/kernel"], v[prefix + "/candidate/bias"])
        outputs[t] = h
    return torch.stack(outputs, 1)


def stack_bidirectional_dynamic_rnn(x, v, cell, layers, name="y"):
    """tf.contrib.rnn.stack_bidirectional_dynamic_rnn: each layer's concat([fw, bw(reversed in time)], 2) feeds the next."""
    for layer in range(layers):
        prefix = "%s/layer_%d" % (name, layer)
        x = torch.cat([rnn(x, v, prefix + "/fw", cell), rnn(x, v, prefix + "/bw", cell, reverse=True)], 2)
    return x


def dynamic_rnn(x, v, cell, layers, name="y"):
    """tf.nn.dynamic_rnn over MultiRNNCell: layer i reads layer i − 1's outputs; the last layer's outputs."""
    for layer in range(layers):
        x = rnn(x, v, "%s/cell_%d" % (name, layer), cell)
    return x
