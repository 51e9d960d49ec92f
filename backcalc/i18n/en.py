"""English messages.  Keys and placeholders match ko.py exactly (tests/test_explain.py checks)."""

MESSAGES = {
    # headings of explanations and write-ups
    "title": "Backpropagation, step by step: {expr}",
    "inputs.heading": "Inputs",
    "forward.heading": "Forward pass: each node's value from its inputs, from the inputs to the output",
    "backward.heading": "Backward pass: from the output back to the inputs, upstream × local = downstream",
    "inputs_grad.heading": "Gradients of the inputs",
    "table.heading": "Chain-rule table",
    "table.parts": "(sum of the parts from {consumers})",
    "graph.heading": "Computational graph",
    "graph.legend": "green above an edge: the forward value; red below: the gradient flowing back",
    "graph.missing": (
        "The picture needs Graphviz's dot program, which is not installed "
        "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz). "
        "The table and the steps below carry the same numbers."
    ),
    "summary": "Result: {out} = {value}",
    "generated": "Generated with backcalc.",
    # table headers
    "col.node": "node",
    "col.gate": "gate",
    "col.inputs": "inputs",
    "col.value": "value",
    "col.role": "role",
    "col.local": "local",
    "col.upstream": "upstream",
    "col.downstream": "downstream",
    # gates and roles
    "gate": "{name} gate",
    "gate.expanded": "{name} gate, part of {origin}",
    "role.distributor": "gradient distributor",
    "role.router": "gradient router",
    "role.switcher": "gradient switcher",
    "role.scaler": "gradient scaler",
    "role.function": "function",
    "op.add": "add",
    "op.sub": "subtract",
    "op.mul": "mul",
    "op.div": "divide",
    "op.neg": "negate",
    "op.pos": "plus sign",
    "op.pow": "power",
    "op.exp": "exp",
    "op.log": "log",
    "op.sqrt": "square root",
    "op.sin": "sin",
    "op.cos": "cos",
    "op.tan": "tan",
    "op.tanh": "tanh",
    "op.sigmoid": "sigmoid",
    "op.softplus": "softplus",
    "op.relu": "ReLU",
    "op.abs": "absolute value",
    "op.max": "max",
    "op.min": "min",
    # steps
    "inputs.line": "{assignments}",
    "forward.step": "{node} = {formula} = {value} ({gate})",
    "forward.step_subst": "{node} = {formula} = {subst} = {value} ({gate})",
    "backward.start": "{grad} = {value}: the gradient of the output with respect to itself.",
    "backward.gate": "{node} = {formula} ({gate}, {role})",
    "backward.upstream": "upstream: {grad} = {value}",
    "backward.upstream_sum": (
        "upstream: {grad} = {parts} = {value}, the sum over its {count} branches "
        "({consumers}): where a node branches, the gradients from the branches add."
    ),
    "backward.local": "local gradient: {partial} = {formula} = {value}",
    "backward.local_value": "local gradient: {partial} = {value}",
    "backward.downstream": "downstream to {input}: upstream × local = {chain}",
    "backward.downstream_const": "(the constant {input} gets no gradient worth reporting)",
    "why.distributor": (
        "why: the {gate} is a gradient distributor: it hands the upstream gradient to each input "
        "as it is (local gradient 1, or -1 for a subtracted input)."
    ),
    "why.router": (
        "why: the {gate} is a gradient router: the upstream gradient goes only to the input that was "
        "selected (the larger one for max); the other inputs get 0."
    ),
    "why.switcher": (
        "why: the {gate} is a gradient switcher: each input gets the upstream gradient times "
        "the value of the other input, so the values swap places."
    ),
    "why.scaler": "why: the {gate} is a gradient scaler: it multiplies the upstream gradient by a constant.",
    "why.function": (
        "why: the {gate} applies a function: the upstream gradient is multiplied by the "
        "function's derivative at its input (the local gradient)."
    ),
    "why.other": "why: the chain rule: downstream = upstream × local.",
    "flag.tie": "note: a tie ({flag}): rule '{rule}' applied: {rule_text}.",
    "flag.kink": (
        "note: a kink ({flag}): the input is exactly at the corner, where the derivative is taken "
        "as 0 (as PyTorch does)."
    ),
    "flag.other": "note: {flag}.",
    "tie.split": "tied inputs share the gradient equally (as PyTorch and JAX do)",
    "tie.all": "every tied input receives the full gradient (as the cs231n notes' code does)",
    "tie.first": "only the first tied input receives the gradient",
    "inputs_grad.line": "{grad} = {value}",
    "inputs_grad.sum": (
        "{grad} = {parts} = {value}: {name} is used in {count} places ({consumers}), "
        "and the gradients from its branches add."
    ),
    "inputs_grad.meaning": (
        "Each gradient says how much {out} changes when that input is nudged: "
        "a small change ε in the input changes {out} by about gradient × ε."
    ),
    # grading (backcalc check --key): feedback on a submission
    "grade.malformed": "the submission could not be read ({reason}): every answer scores 0",
    "grade.missing_problem": "no answers for problem '{problem}': it scores 0",
    "grade.missing_answer": "no answer for {quantity}: it scores 0",
    "grade.unreadable": "the answer for {quantity} cannot be read ({reason}): it scores 0",
    "grade.shape": "{quantity}: an answer of shape {given}, but the correct one has shape {correct}",
    "grade.wrong": "{quantity}: the answer {answer} is not the correct {correct}",
    "grade.unknown_problem": "problem '{problem}' is not in the answer key; its answers are ignored",
    "grade.did_you_mean": " (did you mean '{name}'?)",
    "grade.not_asked": "problem '{problem}': {quantity} is not graded; that answer is ignored",
    "mistake.rounding": (
        "{quantity}: off only by rounding: the correct value is {correct}, "
        "which to {decimals} decimals is {rounded}"
    ),
    "mistake.sign": "{quantity}: the sign is flipped: the correct value is {correct}",
    "mistake.swapped": "{quantity}: swapped with {other}: each answer is the other's gradient",
    "mistake.branch": (
        "{quantity}: a branch not summed: {node} is used by {count} gates, and {part} is only the "
        "part coming back from {consumer}; at a branch point the parts add: {parts}"
    ),
    "mistake.upstream": (
        "{quantity}: the upstream gradient was not multiplied: {local} is the local gradient "
        "∂{consumer}/∂{node}; multiply it by the upstream {upstream} arriving at {consumer}"
    ),
    "mistake.forward": (
        "{quantity}: that is the forward value of {node} ({value}), but its gradient was asked"
    ),
    # --- tables, colours, decimals (issue 13, view) ---
    "col.shape": "shape",
    "col.input": "input",
    "table.where": "where",
    "table.roles": "roles:",
    "table.note": "note: {note}",
    "table.jacobians": (
        "local Jacobians (rows: the gate's output elements, columns: the input's elements, row-major):"
    ),
    "table.size": (
        "the table has {rows} rows and takes a while to print; --no-nodes shows only the value and "
        "the gradients, and -f json is faster"
    ),
    "explain.size": (
        "the explanation has {steps} steps and takes a while to print; backcalc grad --no-nodes "
        "shows only the value and the gradients, and -f json is faster"
    ),
    "check.symbolic": "symbolic derivatives (SymPy)",
    "check.input": "input",
    "check.chain": "chain rule, node by node",
    "check.formula_value": "formula at the inputs",
    "check.numeric": "numeric",
    "check.agrees": "agrees",
    "check.exact": "exact arithmetic",
    "check.gradcheck": "gradient check (central differences, h = {h}, tol = {tol})",
    "check.analytic": "analytic",
    "check.relative_error": "relative error",
    "check.result": "result",
    "check.gradcheck_passed": "gradient check passed",
    "check.gradcheck_failed": "gradient check FAILED",
    "check.expected_answers": "expected answers",
    "check.answer": "answer",
    "check.expected": "expected",
    "check.computed": "computed",
    "check.error": "error",
    "check.pass": "✓ pass",
    "check.fail": "✗ FAIL",
    # --- errors, hints, help, reports (issue 13, language) ---
    # --- teaching: explain, steps, quiz, pictures, training (issue 14) ---
    "graph.tip.input": "input",
    "graph.tip.value": "value",
    "graph.tip.grad": "gradient",
    "graph.terminal": (
        "the graph is a picture, not text for a terminal: draw it into a file with "
        "-o graph.svg (or .png, .pdf; Graphviz draws it), or print its DOT text with -f dot"
    ),
    "graph.binary_terminal": "{fmt} is a binary image: write it to a file with -o graph.{fmt}, or pipe it",
    "train.diverged.nonfinite": (
        "the loss became {value} at step {step} (epoch {epoch}): training diverged; "
        "try a smaller --lr (say {lr})"
    ),
    "train.diverged.grew": (
        "the loss grew from {first} (epoch 1) to {value} (epoch {epoch}), more than tenfold: "
        "training diverged; try a smaller --lr (say {lr})"
    ),
    "train.diverged.ended_above": (
        "the loss ended above where it started ({first} at epoch 1, {value} at epoch {epoch}): "
        "training diverged; try a smaller --lr (say {lr})"
    ),
    "train.not_saved": "the loss is not a finite number, so the trained network was not saved",
    "narrate.title": "{title}, layer by layer: the forward pass, then the backward pass from the loss to the input",
    "narrate.subtitle": "{spec}: a {sizes} network, loss {loss}",
    "narrate.batch": "a batch of {n} examples, one row each",
    "narrate.forward": "Forward pass (input → output)",
    "narrate.backward": "Backward pass (loss → input)",
    "narrate.layer": "layer {n}: {act}, {W} of shape {shape}",
    "narrate.layer_back": "layer {n}",
    "narrate.layer_3b1b": "layer {n}, written ({tag})",
    "narrate.loss_head": "the loss",
    "narrate.identity": "identity: no activation",
    "narrate.dloss": "the derivative of the loss ({loss}) with respect to the network's output",
    "narrate.fused": "softmax and cross-entropy together: the probabilities minus the one-hot target, no Jacobian needed",
    "narrate.d.identity": "identity: ∂{a}/∂{z} = 1",
    "narrate.d.sigmoid": "the sigmoid's derivative: σ'(z) = σ(z)(1 − σ(z)) = {a}(1 − {a})",
    "narrate.d.tanh": "the tanh's derivative: tanh'(z) = 1 − tanh²(z) = 1 − {a}²",
    "narrate.d.relu": "the ReLU's derivative: 1 where {z} > 0, else 0 (a gradient router)",
    "narrate.d.leaky_relu": "the leaky ReLU's derivative: 1 where {z} > 0, else its slope",
    "narrate.d.elu": "the ELU's derivative: 1 where {z} > 0, else {a} + α",
    "narrate.d.softmax": "the softmax's vector-Jacobian product, without building the Jacobian",
    "narrate.d.maxout": "the max routes the gradient to the piece that won (a gradient router)",
    "narrate.one_weight": "one weight: {formula} = {numbers} = {value}",
    "narrate.summed": "summed over the examples",
    "narrate.reg": "the L2 term λ Σ {W}² adds its derivative 2λ {W} (λ = {l2})",
    "narrate.sent_back": "sent back to layer {n}",
    "narrate.no_grad": "The data x and the targets y get no gradient: only the weights and biases do.",
    "narrate.batch_mean": "The loss is the mean over the {n} examples, so each example's δ carries 1/{n}.",
    "narrate.step": "One gradient-descent step, w ← w − lr · ∂L/∂w with lr = {lr}",
    "narrate.loss_after": "the loss on the same data: {before} before the step, {after} after it",
    # (explain, roles, steps, quiz)
    "steps.forward": "Step {k} of {total} · forward pass · {node}",
    "steps.backward": "Step {k} of {total} · backward pass · {node}",
    "steps.keys": "Enter: next step · q: stop",
    "steps.prev": "◀ previous",
    "steps.next": "next ▶",
    "steps.page_title": "Backpropagation, gate by gate: {expr}",
    "role.swap_multiplier": "swap multiplier",
    "role.copy": "copy gate (gradient adder)",
    "why.swap_multiplier": (
        "why: the {gate} is a swap multiplier: each input gets the upstream gradient times the value "
        "of the other input, so the inputs' values swap."
    ),
    "why.copy": (
        "copy gate: {name} is used {count} times, so it is a copy gate, a gradient adder: "
        "the gradients coming back from its uses add."
    ),
    "quiz.intro": "Quiz: {expr}. {count} blanks: type each answer and press Enter (q stops).",
    "quiz.decimals": "Answers rounded to {decimals} decimals count as right.",
    "quiz.forward": "Forward pass: the value of each gate, from the inputs to the output",
    "quiz.backward": "Backward pass: the gradient of {out} at each node, from the output back (∂{out}/∂{out} = 1)",
    "quiz.ask_value": "{node} = {formula} = ?",
    "quiz.ask_grad": "{grad} = ?",
    "quiz.ask_part": "{grad}, the part that {consumer} sends down to {node} = ?",
    "quiz.right": "✓ right",
    "quiz.wrong": "✗ not right; one more try.",
    "quiz.reveal": "✗ not right: the answer is {correct}",
    "quiz.hint.rounding": "Hint: close, but rounded differently.",
    "quiz.hint.sign": "Hint: check the sign.",
    "quiz.hint.swapped": "Hint: that is the gradient of another input.",
    "quiz.hint.branch": "Hint: {node} is used by several gates; add the parts from every branch.",
    "quiz.hint.upstream": "Hint: that is only the local gradient; multiply it by the upstream arriving at {consumer}.",
    "quiz.hint.forward": "Hint: that is a forward value; the gradient is asked.",
    "quiz.unreadable": "cannot read that answer ({reason}); type a number such as -4 or 0.25, or q to stop",
    "quiz.score": "Score: {right}/{total} right ({first} at the first try)",
    "quiz.stopped": "Stopped after {answered} of {total} blanks.",
    "quiz.page_title": "Backprop quiz: {expr}",
    "quiz.page_help": "Fill in each blank: a box turns green when the answer is right, red when it is not.",
    "quiz.page_score": "{right} of {total} right",
    "backward.vjp_note": (
        "Array gates: each downstream is made from the upstream by the gate's rule (a vector-Jacobian "
        "product, with the shape of its input); the Jacobian is never built."
    ),
    "backward.vjp": "downstream to {input} (shape {shape}): {grad} = {chain}",
    "backward.vjp_broadcast": (
        "downstream to {input} (shape {shape}): {grad} = {chain}; {input} was broadcast, "
        "so its gradient is summed over the broadcast axes"
    ),
    # --- cs231n layers, setup, upstream, step (issue 15) ---
    # layer gates (issue 15, layers)
    "op.affine": "affine layer",
    "op.leaky_relu": "Leaky ReLU",
    "op.elu": "ELU",
    "op.svm_loss": "SVM loss",
    "op.softmax_loss": "softmax loss",
    "op.batchnorm": "batch normalization",
    "op.layernorm": "layer normalization",
    "op.spatial_batchnorm": "spatial batch normalization",
    "op.dropout": "dropout",
    "op.conv": "convolution",
    "op.maxpool": "max pooling",
    "op.reshape": "reshape",
    # setup lines, upstream, gradient check, step (helper setup)
    "gradcheck.cs231n": (
        "{name}: cs231n relative error {error}; worst element {at}: analytic {analytic}, numerical {numeric}"
    ),
    "gradcheck.kink_between": (
        "  {at} sits at (or within h of) a kink: one-sided differences left {left}, right {right}; "
        "analytic {analytic} lies between them: a valid subgradient"
    ),
    "gradcheck.kink_outside": (
        "  {at} sits at (or within h of) a kink: one-sided differences left {left}, right {right}; "
        "analytic {analytic} lies OUTSIDE them"
    ),
    # --- notebooks and the Python API (issue 16) ---
    "nb.no_dot": (
        "No picture: it needs Graphviz's dot program (Debian/Ubuntu: apt-get install graphviz; "
        "conda install graphviz; macOS: brew install graphviz). The table has every number."
    ),
    "nb.big_graph": (
        "The graph has {gates} gates, too many to draw in a cell: "
        'backcalc.graph(r, output="graph.svg") draws it into a file.'
    ),
    "nb.dot_failed": "No picture: Graphviz could not draw it ({why}). The table has every number.",
    "nb.more_rows": (
        "… and {more} more nodes: r.to_html() is a page with the whole table "
        "(r.to_markdown() and r.to_json() too)."
    ),
    "nb.where": "where",
    "nb.layer": "layer",
    "nb.activation": "activation",
    "nb.step": "after one gradient-descent step with lr {lr}: loss {loss}",
    "nb.net_graph": "The network's graph ({nodes} nodes), node by node: .result (its chain-rule table).",
    "nb.trained": (
        "trained {spec} on {data}: {epochs} epochs, {steps} steps (batch {batch}, lr {lr}) in {seconds} s"
    ),
    "nb.losses": "loss: epoch 1 {first}, epoch {epochs} {last}; on all the data with the final weights {final}",
    "nb.interrupted": "interrupted after {steps} steps ({epochs} of {asked} epochs): the result holds what was trained",
    "nb.more_students": "… and {more} more submissions: .submissions holds every report.",
}
