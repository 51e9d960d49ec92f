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
    "backward.downstream_array": (
        "downstream to {input}: {value} (shape {shape}; a vector-Jacobian product, "
        "the Jacobian is never built)"
    ),
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
    # --- errors, hints, help, reports (issue 13, language) ---
    # --- teaching: explain, steps, quiz, pictures, training (issue 14) ---
    # --- cs231n layers, setup, upstream, step (issue 15) ---
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
}
