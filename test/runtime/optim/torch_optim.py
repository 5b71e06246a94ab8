"""PyTorch's side of test/runtime/optim/torch.test.ts.

Reads cases as JSON on stdin: initial variables, a gradient per variable per
step, an optimizer, a learning-rate schedule and a clipping rule. For each it
runs the same steps with torch.optim (or, for TF1's RMSProp, which has no
torch twin, TF1's published update rule written out below), the schedule from
torch.optim.lr_scheduler or its closed form, and torch.nn.utils' clipping, and
answers the variables after the last step, each step's learning rate and
each step's gradient norm before clipping; and for each plateau case, the
learning rate ReduceLROnPlateau leaves after each metric. Without torch: {"torch": false}.
"""
import bisect
import json
import math
import sys


def main():
    request = json.load(sys.stdin)
    try:
        import torch
    except ImportError as error:
        json.dump({"torch": False, "reason": str(error)}, sys.stdout)
        return
    torch.set_num_threads(1)
    plateaus = [plateau(torch, case) for case in request.get("plateaus", [])]
    json.dump({"torch": True, "results": [run(torch, case) for case in request["cases"]], "plateaus": plateaus}, sys.stdout)


def plateau(torch, case):
    """torch.optim.lr_scheduler.ReduceLROnPlateau (threshold_mode 'abs') stepped with each metric: the rate after each."""
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=case["lr"])
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode=case["mode"], factor=case["factor"], patience=case["patience"], threshold=case["minDelta"],
        threshold_mode="abs", cooldown=case["cooldown"], min_lr=case["minLr"])
    rates = []
    for value in case["metrics"]:
        scheduler.step(value)
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


def run(torch, case):
    params = [torch.nn.Parameter(torch.tensor(v["values"], dtype=torch.float32).reshape(v["shape"])) for v in case["variables"]]
    o = case["optimizer"]
    lr = o["lr"]
    rule = None
    if o["kind"] == "adamw":
        optimizer = torch.optim.AdamW(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"], weight_decay=o["weight_decay"])
    elif o["kind"] == "sgd" and "weight_decay" in o:
        # Coupled L2 (graphc's train.weight_decay): one param group per variable, decayed or not.
        groups = [{"params": [p], "weight_decay": o["weight_decay"] if decayed else 0.0} for p, decayed in zip(params, o["decayed"])]
        optimizer = torch.optim.SGD(groups, lr=lr, momentum=o["momentum"], nesterov=o["nesterov"])
    elif o["kind"] == "sgd":
        optimizer = torch.optim.SGD(params, lr=lr, momentum=o["momentum"], nesterov=o["nesterov"])
    elif o["kind"] == "adagrad":
        # TF1's Adagrad: accumulator from 0.1, no epsilon.
        optimizer = torch.optim.Adagrad(params, lr=lr, initial_accumulator_value=o["initial_accumulator_value"], eps=0.0)
    elif o["kind"] == "rmsprop":
        # A plain SGD optimizer only carries the learning rate for the scheduler; the update is TF1's rule.
        optimizer = torch.optim.SGD(params, lr=lr)
        rule = Tf1RmsProp(torch, params, o)
    else:
        raise ValueError(o["kind"])
    scheduler = make_scheduler(torch, optimizer, case.get("schedule"), lr)
    lrs, norms = [], []
    clip = case.get("clip")
    for step, grads in enumerate(case["grads"]):
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float32).reshape(p.shape)
        if clip is not None and "global_norm" in clip:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, clip["global_norm"])))
        elif clip is not None:
            norms.append(float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))))
            torch.nn.utils.clip_grad_value_(params, clip["value"])
        rate = optimizer.param_groups[0]["lr"] if scheduler != "closed" else closed_form(case["schedule"], lr, step)
        if scheduler == "closed":
            for group in optimizer.param_groups:
                group["lr"] = rate
        lrs.append(rate)
        if rule is not None:
            rule.step(rate)
        else:
            optimizer.step()
        if scheduler not in (None, "closed"):
            scheduler.step()
    return {"variables": [p.detach().reshape(-1).tolist() for p in params], "lrs": lrs, "norms": norms}


def make_scheduler(torch, optimizer, schedule, lr):
    if schedule is None:
        return None
    kind = schedule["type"]
    S = torch.optim.lr_scheduler
    if kind == "exponential_decay" and schedule["staircase"]:
        return S.StepLR(optimizer, step_size=schedule["decaySteps"], gamma=schedule["decayRate"])
    if kind == "exponential_decay" and schedule["decaySteps"] == 1:
        return S.ExponentialLR(optimizer, gamma=schedule["decayRate"])
    if kind == "cosine_decay":
        w = schedule["warmupSteps"]
        cosine = S.CosineAnnealingLR(optimizer, T_max=schedule["decaySteps"], eta_min=schedule["alpha"] * lr)
        if w == 0:
            return cosine
        # (t+1)/w for t in [0, w-1], then the cosine from lr.
        warmup = S.LinearLR(optimizer, start_factor=1 / w, end_factor=1.0, total_iters=w - 1)
        return S.SequentialLR(optimizer, [warmup, cosine], milestones=[w])
    return "closed"


def closed_form(schedule, lr, t):
    """TF1's exponential_decay and piecewise_constant as the TF1 docs state them."""
    if schedule["type"] == "exponential_decay":
        return lr * schedule["decayRate"] ** (t / schedule["decaySteps"])
    if schedule["type"] == "piecewise_constant":
        return schedule["values"][bisect.bisect_left(schedule["boundaries"], t)]
    raise ValueError(schedule["type"])


class Tf1RmsProp:
    """tf.train.RMSPropOptimizer's published rule (training_ops ApplyRMSProp / ApplyCenteredRMSProp):
    ms <- ms + (g^2 - ms) * (1 - decay); mg <- mg + (g - mg) * (1 - decay) (centered);
    mom <- momentum * mom + lr * g / sqrt(ms - mg^2 + epsilon); var <- var - mom. ms starts at 1."""

    def __init__(self, torch, params, o):
        self.torch, self.params, self.o = torch, params, o
        self.ms = [torch.ones_like(p) for p in params]
        self.mg = [torch.zeros_like(p) for p in params]
        self.mom = [torch.zeros_like(p) for p in params]

    def step(self, lr):
        o = self.o
        with self.torch.no_grad():
            for p, ms, mg, mom in zip(self.params, self.ms, self.mg, self.mom):
                g = p.grad
                ms.add_((g * g - ms) * (1 - o["decay"]))
                denominator = ms
                if o["centered"]:
                    mg.add_((g - mg) * (1 - o["decay"]))
                    denominator = ms - mg * mg
                mom.mul_(o["momentum"]).add_(lr * g / self.torch.sqrt(denominator + o["epsilon"]))
                p.sub_(mom)


if __name__ == "__main__":
    main()
