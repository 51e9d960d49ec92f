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
    "op.input": "input",
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
    # notes of --symbolic and --exact runs, the spec's training settings
    "api.symbolic_note": "symbolic: {detail}",
    "api.symbolic_stopped": "symbolic: {detail}; the numeric results are complete, the formulas are not",
    "api.symbolic_differ": "symbolic: the formula and the numeric gradient differ for {names}",
    "api.exact_note": "exact: {detail}",
    "api.exact_floats": "exact: {detail}; showing floats only",
    "spec.unknown_update": "unknown update rule {rule}; expected one of: {choices}",
    "spec.lr_decay": "must be in (0, 1], got {got}",
    # the %backcalc magics
    "magic.unclosed": "the magic's line has an unclosed {quote}",
    "magic.shortened": "this array was printed shortened ('...'), as numpy prints large arrays",
    "magic.shortened_hint": "pass the variable itself: NAME=@variable",
    "magic.no_variable": "{name}=@{var}: there is no variable '{var}' in the notebook",
    "magic.not_spec": "the cell is no network spec (TOML or JSON): {reason}",
    "magic.spec_only": "{command} takes a spec, not NAME=@variable values",
    "magic.exit_status": "backcalc {command} stopped with exit status {code}",
    # --symbolic and --exact: their notes
    "check.note_exact_stopped": "note: exact arithmetic {stopped}; only the float results are shown",
    "check.note_exact": "note: exact arithmetic: {stopped}",
    "symbolic.too_many_elements": "{name} has {size:,} elements, more than the limit of {limit:,}",
    "symbolic.decided_1": "valid where {names} is decided as at the given point",
    "symbolic.decided": "valid where {names} are decided as at the given point",
    "symbolic.not_built": (
        "formulas not built: {why}; the numeric gradients are complete (the gradient check "
        "compares them with finite differences element by element)"
    ),
    "exact.not_built": "exact values not built: {why}; the numeric gradients are complete",
    "domains.time_limit": "stopped at the time limit of {seconds} s",
    "check.formulas_are": "the formulas are {decided}",
    "check.cse_nodes": "nodes",
    "check.cse_common": "common subexpressions",
    "check.cse_upstream": "upstream gradients",
    "check.cse_more": "… {n:,} more in --format json",
    "check.cse_heading": "the formulas above are written over these definitions (a large graph: common-subexpression form)",
    "check.note_symbolic": "note: symbolic {stopped}",
    "check.note_symbolic_work": "note: symbolic work {stopped}",
    "check.no_formula_for": "; no formula for {names}",
    # values given to the API, SymPy
    "values.unsupported": "{name}: unsupported value {value}",
    "values.array_dtype": "{name}: expected numbers, got an array of {dtype}",
    "values.unsupported_type": "{name}: unsupported value of type {kind}",
    "values.not_exact": "{name}: cannot read {kind} exactly",
    "api.sympy_too_deep": "the formula is nested too deeply for SymPy",
    "api.result_values": "backcalc.{function}() of a Result takes no values: they are in the Result",
    # network specs: conv layers, the top level
    "spec.layer_keys": "{close} layer keys: {keys}",
    "spec.known_keys": "{close} known keys: {keys}",
    "spec.add_loss": 'add loss = "...", one of: {choices}',
    "spec.conv_images_shape": "a conv layer takes images: x of shape (N, C, H, W), got shape {shape}",
    "spec.conv_first": "conv layers come first, before the affine layers",
    "spec.unknown_type": "unknown layer type {type}; expected one of: {choices}",
    "spec.last_affine": "the last layer gives the scores: end with an affine layer after the conv layers",
    "spec.norm_batch": "{norm} normalises over a batch: give x as a list of rows (examples)",
    "spec.dropout_scores": "dropout goes after a hidden layer's activation, not on the scores",
    "spec.not_on_conv": "'{key}' is not available on conv layers",
    "spec.conv_activation": "conv layers take relu or identity, got {got}",
    "spec.conv_needs_w_b": "a conv layer needs its filters W (F, C, HH, WW) and biases b (F,)",
    "spec.conv_w_shape": "expected filters of shape (F, C, HH, WW), got shape {got}",
    "spec.conv_b_shape": "expected shape ({f},) (one per filter), got {got}",
    "spec.conv_needs_images": "a conv layer needs images: give x of shape (N, C, H, W)",
    "spec.conv_channels": "filters for {c} channels, but the input has {got}",
    "spec.conv_tile": (
        "filters of {k} with pad {p} and stride {s} do not tile an input of {n} "
        "({n} + 2*{p} - {k} must be a non-negative multiple of {s})"
    ),
    "spec.pool_list": "expected [ph, pw, stride] (whole numbers >= 1), got {got}",
    "spec.pool_tile": "pools of {k} with stride {s} do not tile the conv output of {n}",
    "spec.reg_convention": "missing key: name the convention of reg",
    "spec.unknown_reg": "unknown regularization {form}; expected one of: {choices}",
    "spec.unknown_norm": "unknown norm {norm}; expected one of: {choices}",
    # class grading: the terminal report
    "grade.status.passed": "✓ passed",
    "grade.status.failed": "✗ failed",
    "grade.status.malformed": "malformed",
    "grade.status.missing": "missing",
    "grade.status.unreadable": "unreadable",
    "grade.points_of": " ({file}): {score} of {max} points ",
    "grade.sub_malformed": "malformed: {error}; every answer scores 0",
    "grade.ignored": "ignored: {note}",
    "grade.answer": "answer {answer}, correct {correct}",
    "grade.error": ", error {error}",
    "grade.item_points": "; {points}/{max} points",
    "grade.title": "grades ({path})",
    "grade.student": "student",
    "grade.total": "total",
    "grade.status": "status",
    "grade.mean": "mean",
    "grade.median": "median",
    "grade.summary_1": (
        "{n} submission: {passed} passed everything, {failed} lost points, {malformed} malformed; "
        "mean {mean} of {max} points"
    ),
    "grade.summary": (
        "{n} submissions: {passed} passed everything, {failed} lost points, {malformed} malformed; "
        "mean {mean} of {max} points"
    ),
    # class grading: the submissions
    "grading.sub_too_large": "the file is larger than the limit of {limit:,} bytes",
    "grading.sub_cannot_read": "cannot read the file ({reason})",
    "grading.sub_not_utf8": "not UTF-8 text (byte {byte})",
    "grading.sub_empty": "the file is empty",
    "grading.sub_not_table": "expected a table with [[problem]] entries",
    "grading.sub_key_only": "key '{key}' is set by the answer key; ignored",
    "grading.sub_ignored": "{detail}; ignored",
    "grading.sub_student": "key 'student': expected a name as a string",
    "grading.sub_no_problems": "no problems: answers are [[problem]] tables with a name",
    "grading.sub_no_name": "{where} has no name; its answers are ignored (answers name their problem)",
    "grading.sub_problem": "problem {name}",
    "grading.sub_twice": "{where} is answered twice",
    "grading.sub_table": "{where}: key '{table}': expected a table such as {table} = {{ x = -4 }}",
    # network specs: inputs, limits
    "model.x_hint": "give the input(s): x = [...] or a list of rows",
    "model.y_hint": "give the target(s): y = [...]",
    "spec.too_big": "a weight matrix of shape {shape} has {n:,} elements, more than the limit of {limit:,}",
    "spec.too_big_hint": "raise it with BACKCALC_MAX_ARRAY_ELEMENTS",
    "spec.n_inputs": "cannot tell the number of inputs of layer 1",
    "spec.n_inputs_hint": "give x, or inputs = N, or the weights W of the first layer",
    "spec.not_finite_weights": "the weights are not finite numbers (training diverged?); nothing was written",
    "dot.still_written": "the DOT text is still written: backcalc grad ... --format dot",
    # pictures, plots, the API
    "dot.too_many_gates": "it has {gates:,} gates, more than the limit of {limit:,}",
    "dot.too_slow": (
        "its {gates:,} gates would take Graphviz about {seconds} s to lay out, more than the limit of "
        "{budget} s ({boxes:,} boxes and labels)"
    ),
    "dot.too_slow_bends": (
        "its {gates:,} gates would take Graphviz about {seconds} s to lay out, more than the limit of "
        "{budget} s ({boxes:,} boxes and labels, and {bends:,} bends of wires that span many columns)"
    ),
    "dot.too_large": "the picture is too large to draw: {why}",
    "dot.too_large_hint": (
        "the DOT text is still written (-o FILE.dot, or backcalc grad ... --format dot); "
        "or draw it anyway with {max_nodes} {gates}, which may take minutes"
    ),
    "dot.no_graphviz": "rendering {fmt} needs Graphviz's 'dot' program, which is not installed",
    "dot.no_graphviz_hint": "install Graphviz ({install}), or write a .dot file, which always works",
    "dot.timeout": "Graphviz's dot took longer than {timeout} s; the graph is too large to draw",
    "dot.timeout_hint": "write the DOT text instead (-o FILE.dot), which always works",
    "dot.could_not_run": "could not run Graphviz's dot ({reason})",
    "dot.failed": "Graphviz's dot failed (exit {code}): {detail}",
    "dot.format": "cannot tell the picture format from '{path}'",
    "dot.format_hint": "end the file name with .dot, .svg, .png or .pdf",
    "plot.needs_matplotlib": "{plot} needs matplotlib, which is optional",
    "plot.needs_matplotlib_hint": (
        'install it with: pip install matplotlib (the optional extra: pip install ".[plot]" in a clone of backcalc)'
    ),
    "plot.format": "cannot tell the image format from '{path}'",
    "plot.format_hint": "end the file name with .png, .svg or .pdf",
    "api.in_place_mapping": "{in_place} needs a spec file, not a mapping",
    "api.smaller_lr": "try a smaller {lr}",
    "domains.no_formula": "SymPy cannot build the formula of {node} = {text}",
    # network specs: per-layer details
    "spec.not_table": "expected a table of keys (loss, layers, ...), got {kind}",
    "spec.layers_hint": "add one [[layers]] table per layer, in order",
    "spec.layers_list": "expected a non-empty list of layer tables ([[layers]] in TOML)",
    "spec.x_shape": "expected one example (a list) or a batch (a list of lists), got shape {shape}",
    "spec.keep_probability": "the keep probability must be in (0, 1], got {got}",
    "spec.norm_shape": "expected shape ({out},) (one per output neuron), got {got}",
    "spec.one_of": "one of: {choices}",
    "spec.unknown_init": "unknown initialisation {init}; expected one of: {choices}",
    "spec.no_weights": "give the weights W and biases b, or a size (neurons) for seeded initialisation",
    "spec.both_w_b": "missing key: explicit weights need both W and b",
    "spec.both_w_b_hint": "or drop W and b and give size = N for seeded initialisation",
    "spec.w_pieces": "{k} matrices (pieces) of rows = output neurons, columns = inputs",
    "spec.w_matrix": "a matrix: one row per output neuron, one column per input (w_jk)",
    "spec.w_expected": "expected {what}, got shape {got}",
    "spec.maxout_pieces": "maxout with k = {k} needs {k} pieces, got {got}",
    "spec.inputs_word": "inputs",
    "spec.outputs_of": "outputs of layer {layer}",
    "spec.columns": "has {cols} columns, but there are {n} {source}: expected shape {want}",
    "spec.b_shape": "expected shape {want} (one bias per output neuron), got {got}",
    "spec.b_shape_pieces": "expected shape {want} (one bias per output neuron, per piece), got {got}",
    "spec.size_rows": "is {size}, but W has {rows} rows (output neurons)",
    "spec.y_shape": "expected targets as a list or a list of lists, got shape {shape}",
    "spec.labels_count": "has {labels} class labels for {n} examples",
    "spec.class_label": "class label {label} is not a whole number from 0 to {last} (the last layer has {outputs} outputs)",
    "spec.one_hot": "one-hot rows must have a single 1 and zeros elsewhere ({loss})",
    "spec.probabilities": "each target row must be one-hot or probabilities that sum to 1",
    "spec.targets_shape": "expected targets of shape {want} (one per output neuron), got {got}",
    "spec.l2_or_reg": "give either l2 = ... or reg = ... with regularization = ..., not both",
    "spec.reg_missing": "missing key: the strength of the regularization",
    "spec.reg_hint": "e.g. reg = 0.1",
    "spec.dropout_seed": "'dropout_seed' belongs to dropout: add dropout = p",
    "spec.norm_maxout": "a norm is not available on maxout layers",
    # answer files: their problems
    "answers.problem": "problem {index}",
    "answers.problem_named": "problem {index} ({name})",
    "answers.unknown_key_close": "unknown key '{key}'; did you mean '{close}'?",
    "answers.unknown_key": "unknown key '{key}'; known keys: {known}",
    "answers.tolerance": "key '{where}': expected a non-negative number, got {got}",
    "answers.number_table": "key '{where}': expected a number, a string such as \"1/3\" or a list, got a table",
    "answers.at_key": "key '{where}': {detail}",
    "answers.in_file": "{path}: {detail}",
    "answers.top_key_hint": "problems are [[problem]] tables; see examples/homework.toml",
    "answers.not_table": "expected a table ([[problem]])",
    "answers.no_expression": "key 'expression' is missing",
    "answers.expression_text": "key 'expression': expected the expression as a string, got {got}",
    "answers.values_table": "key 'values': expected a table such as values = {{ x = -2, y = 5 }}",
    "answers.gradients_table": "key 'gradients': expected a table such as gradients = {{ x = -4, y = -4 }}",
    "answers.nothing": "nothing to check: give 'value' and/or 'gradients'",
    "answers.expand": "key 'expand': expected true or false, got {got}",
    "answers.at_location": "{detail} (at {where} of the expression)",
    "answers.expression_or_values": "key 'expression' or 'values': {detail}",
    "answers.not_input": "key 'gradients.{name}': '{name}' is not an input of the expression (inputs: {inputs})",
    # the answer file's self-check (backcalc check FILE)
    "check.answers_in": "answers in {file}",
    "check.problem": "problem",
    "check.malformed": "malformed",
    "check.one_problem": "{n} problem",
    "check.n_problems": "{n} problems",
    "check.summary": "{problems}: {passed} passed",
    "check.summary_failed": ", {n} failed: {names}",
    "check.summary_none_failed": ", 0 failed",
    "check.summary_malformed": ", {n} malformed: {names}",
    # the network table (backcalc net)
    "net.layer": "layer {n}",
    "net.then_pool": ", then maxpool{pool}",
    "net.channel_f": "(channel f)",
    "net.filter_f": "(filter f)",
    "net.row_j": "(row j)",
    "net.new": "new",
    "net.step_title": "gradient-descent step: w ← w − lr · ∂L/∂w, lr = {lr}",
    "net.col.parameter": "parameter",
    "net.col.shape": "shape",
    "net.col.old": "old",
    "net.mean_over": "{loss}, mean over {n} examples",
    "net.loss_line": "loss L = data loss + regularisation = {data} + {reg} = {loss}",
    "net.reg_half": "   ({what}; reg = {l2}: regularisation = 0.5 · reg · Σ sum(W²), biases not regularised)",
    "net.reg_l2": "   ({what}; l2 = {l2}: regularisation = l2 · Σ sum(W²), biases not regularised)",
    "net.head": "{head}: {sizes} network, loss {loss}",
    "net.batch": "batch of {n} examples: z, a and δ list one value per example",
    "net.before_after": "loss before the step {before}, after {after}",
    "net.graph": "the graph: {text}",
    # notebook setup lines
    "setup.end_of_setup": "the end of the setup",
    "setup.end_of_line": "the end of the line",
    "setup.high_low": "high ({hi}) must be greater than low ({lo})",
    "setup.scale": "scale must be >= 0, got {got}",
    "setup.shapes_broadcast": "the shapes {a} and {b} do not broadcast",
    "setup.method_name": "expected a method name after '.', found {found}",
    "setup.name_after_dot": "expected a name after '.', found {found}",
    "setup.result_not_finite": "{fn}: the result is not finite (too large for float64)",
    "setup.method_not_accepted": "'.{name}' is not accepted (accepted: {accepted})",
    "setup.comma": "{left}, {right}",
    "setup.whole": "{name} must be a whole number, got {got}",
    "setup.at_least": "{name} must be at least {minimum}, got {got}",
    "setup.number": "{name} must be a number, got {got}",
    "setup.dims": "{name} must be whole numbers >= 0, got {got}",
    "setup.dimensions": "dimensions",
    "setup.too_many_dims": "{n} dimensions; at most {limit} are possible",
    "setup.too_many_elements": "{size:,} elements is more than the limit of {limit:,} (raise it with BACKCALC_MAX_ARRAY_ELEMENTS)",
    "setup.the_text": "the text {text}",
    "setup.a_tuple": "a tuple ({items})",
    "setup.a_list": "a list",
    "setup.a_dict": "a dictionary",
    "setup.an_array": "an array of shape {shape}",
    "setup.axis": "axis must be a whole number from {lo} to {hi}, got {got}",
    "setup.keepdims": "keepdims must be True or False, got {got}",
    "setup.reshape": "cannot reshape an array of shape {shape} into {to}",
    "setup.reshape_sizes": "cannot reshape an array of shape {shape} ({size} elements) into {to} ({to_size} elements)",
    "setup.too_deep": "nested more than {limit} levels deep",
    "setup.too_deep_hint": "raise the limit with BACKCALC_MAX_NESTING",
    "setup.broadcast": "'{op}': the shapes {a} and {b} do not broadcast",
    "setup.op_too_big": "'{op}' would make {size:,} elements, more than the limit of {limit:,}",
    "setup.op_needs": "'{op}' needs a number or an array, got {got}",
    "setup.op_needs_both": "'{op}' needs numbers or arrays, got {got}",
    "setup.matmul": "'@' cannot multiply shapes {a} and {b}",
    "setup.op_not_finite": "'{op}' gives a number that is not finite (too large for float64, or 0/0)",
    "setup.no_keywords": "{fn}: takes no keyword arguments ({name}= given); give the dimensions alone, e.g. {fn}(3, 4)",
    "setup.unknown_keyword": "{fn}: unknown keyword argument '{name}' (accepted: {accepted})",
    "setup.positional_after": "{fn}: a positional argument after keyword arguments",
    "setup.star": "{fn}: '*' needs a tuple or a list, got {got}",
    "setup.too_many_positional": "{fn}: takes at most {most} positional arguments, got {got}",
    "setup.cannot_compute": "{fn}: cannot compute it ({reason})",
    "setup.nested_list": "expected a (nested) list of numbers, got {got}",
    "setup.numbers_or_array": "expected numbers, a tuple of them or an array, got {got}",
    "setup.number_or_array": "{name} must be a number or an array, got {got}",
    "setup.new_shape": "the new shape must be whole numbers (one may be -1), got {got}",
    "setup.expected_array": "expected an array, got {got}",
    "setup.not_callable": "{what} cannot be called",
    "setup.no_methods": "'.{name}': {what} has no methods here",
    "setup.line_kind": "a line must assign a value (x = ...) or call a function (np.random.seed(231))",
    "setup.numpy_as": "numpy must be imported as np (import numpy as np)",
    "setup.write_import": "write 'import numpy as np': the setup lines name numpy as np",
    "setup.only_numpy": "only 'import numpy as np' is accepted; leave out the other imports of the cell",
    "setup.either": "{a} or {b}",
    "setup.at": "setup line {line}, column {column}: {detail}",
    "setup.in_call": "{fn}: {detail}",
    "setup.unexpected_char": "unexpected character {char}",
    "setup.closes_nothing": "'{token}' does not close anything",
    "setup.underscore": "names starting with '_' are not accepted ({name})",
    "setup.never_closed": "'{token}' is never closed",
    "setup.expected": "expected {what}, found {found}",
    "setup.expected_end": "expected the end of the line, found {found}",
    "setup.not_part": "'{token}' is not part of the setup lines backcalc reads",
    "setup.subset": "the setup lines accepted are listed in docs/cs231n-setup.md",
    "setup.not_accepted": "'{name}' is not accepted",
    "setup.functions": "the functions accepted: {names}",
    "setup.not_function": "'{name}' is not a function; the functions accepted: {names}",
    "setup.matmul_arrays": "'@' needs arrays",
    "setup.division_by_zero": "division by zero",
    "setup.result_too_large": "the result is too large for float64",
    "setup.number_too_long": "the number is too long",
    "setup.number_too_large": "the number is too large for float64",
    "setup.must_call": "{name} must be called: {name}(...)",
    "setup.none_yet": "none yet",
    "setup.not_defined": "'{name}' is not defined (defined so far: {known})",
    "setup.expected_value": "expected a value, found {found}",
    "setup.unseeded": (
        "setup line {line}: a random draw before any np.random.seed(...): the numbers differ from run to run "
        "(the notebook seeds first, e.g. np.random.seed(231))"
    ),
    "setup.too_long": "the setup is longer than the limit of {limit:,} characters",
    "setup.cannot_read": "cannot read the setup file {path}: {reason}",
    "setup.too_large": "the setup in {where} is larger than the limit of {limit:,} bytes",
    "setup.not_utf8": "the setup in {where} is not UTF-8 text (byte {byte})",
    "setup.not_finite": "{name} is not finite (inf or nan)",
    "setup.unpack_one": "{names} names on the left, but one value on the right",
    "setup.unpack": "{names} names on the left, {values} values on the right",
    "setup.not_assignable": "'{token}' cannot be assigned to",
    "setup.missing_argument": "{fn}: missing the argument {name}",
    "setup.keyword_twice": "{fn}: {name} is given twice",
    # files and training data
    "files.input_spec": "the input spec",
    "files.refuse": "refusing to write over {what} {source}",
    "files.refuse_hint": "give another file with {output}, or add {in_place} to replace it",
    "files.no_directory": "cannot write {path}: the directory {directory} does not exist",
    "files.is_directory": "cannot write {path}: it is a directory",
    "files.cannot_write": "cannot write {path}: {reason}",
    "data.csv_only": "{path}: {target} and {features} apply to CSV files only",
    "data.no_ending": "(no ending)",
    "data.unknown_kind": "{data} {path}: unknown kind of file '{ext}'",
    "data.unknown_kind_hint": "give a .csv or .npz file",
    "data.column": "{n} feature column",
    "data.columns": "{n} feature columns",
    "data.input": "{n} input",
    "data.inputs": "{n} inputs",
    "data.n_features": "{path}: {columns} ({names}), but the network takes {inputs}",
    "data.n_features_hint": "pick the feature columns with {features} a,b or fix the spec",
    "data.cannot_read": "{data} {path}: cannot read the file ({reason})",
    "data.empty": "{path}: the file is empty; expected a header row naming the columns",
    "data.unnamed": "{path}: line 1: column {column} has no name in the header",
    "data.twice": "{path}: line 1: the column name '{name}' appears twice",
    "data.no_header": (
        "{path}: line 1 is numbers ({first}, ...), but the first row must be a header naming the columns, e.g. x1,x2,y"
    ),
    "data.no_column": "{path}: no column named {names}; the header has: {header}",
    "data.no_target": (
        "{path}: no target column: the header ({header}) has no column named y, y1, y2 ..., target or label"
    ),
    "data.no_target_hint": "name the target column(s) with {target} NAME[,NAME]",
    "data.no_features": "{path}: no feature columns left after the target(s) {targets}",
    "data.both": "{path}: {names} cannot be both a feature and a target",
    "data.value": "{n} value",
    "data.values": "{n} values",
    "data.row_length": "{path}: line {line}: {values}, but the header names {columns} columns",
    "data.too_many_rows": "{path}: more than {limit:,} rows",
    "data.bad_csv": "{path}: line {line}: not valid CSV ({reason})",
    "data.not_utf8": "{path}: not UTF-8 text",
    "data.no_rows": "{path}: no data rows under the header",
    "data.label": (
        "{path}: data row {row}, column '{column}': class label {label} is not a whole number "
        "from 0 to {last} (the last layer has {outputs} outputs)"
    ),
    "data.missing_value": "{path}: line {line}, column '{column}': the value is missing",
    "data.not_number": "{path}: line {line}, column '{column}': {text} is not a number",
    "data.not_finite": "{path}: line {line}, column '{column}': {text} is not a finite number",
    "data.bad_npz": "{data} {path}: not a readable .npz file ({reason})",
    "data.nothing": "nothing",
    "data.no_array": "{path}: no array named {name} (or {upper}); the file has: {names}",
    "data.cannot_read_arrays": "{path}: cannot read the arrays ({reason})",
    "data.not_numbers": "{path}: x and y must be arrays of numbers",
    "data.not_matrix": "{path}: {name}: expected a matrix (rows = examples), got shape {shape}",
    "data.rows_differ": "{path}: {x} has {x_rows} rows but {y} has {y_rows}",
    "data.nonfinite": "{path}: the arrays contain inf or nan",
    # the command line, after the merges
    "quiz.stdin_expression": "the quiz reads its answers from standard input, so the expression cannot come from it",
    "quiz.stdin_expression_hint": 'give the expression as an argument ("(x+y)*z") or from a file (@FILE)',
    "cli.unknown_notation": "unknown notation '{notation}'",
    "cli.use_one_of": "use one of: {choices}",
    "cli.setup_not_key": "--setup applies to the self-check of one answer file, not to --key",
    "cli.output_extension": "cannot tell the format of {path} from its extension: end it with one of {names}",
    "cli.setup_stdin_twice": "--setup and the expression (or answer file) cannot both be read from standard input (-)",
    "result.nonfinite_note": 'non-finite numbers are written in JSON as the strings "Infinity", "-Infinity" and "NaN"',
    # notes under the table, --upstream
    "result.tie": (
        "tie at {nodes}: rule '{rule}' applied ({why}); another tie rule can be chosen: split, all or first"
    ),
    "result.kink": (
        "kink at {nodes}: the input is exactly 0, where relu'(0) = 0 and abs'(0) = 0 are used (as PyTorch does)"
    ),
    "result.shadowed": "'{name}' is a variable here, named like the function {name}(); {name}(...) still calls it",
    "result.ones": (
        "the output {name} has shape {shape}, not a scalar: backward starts from an upstream of ones, "
        "so the gradients are those of sum({name})"
    ),
    "result.array_note": (
        "for array gates 'local' shows how each downstream is made from the upstream g "
        "(a vector-Jacobian product; the Jacobian itself is never built, asking for the "
        "explicit Jacobians shows the small ones); a gradient sent to a broadcast input is summed over the broadcast axes"
    ),
    "upstream.not_given": "{setting} names '{name}', which is not given (values given: {have})",
    "upstream.not_given_hint": "define it in the setup lines or give it as {name}=[...]",
    "upstream.combined": (
        "{which} and {setting} cannot be combined yet: the formulas and exact numbers are derived "
        "from an upstream of ones"
    ),
    "upstream.combined_hint": "run {setting} with the numeric check ({check}) instead",
    "upstream.is_input": (
        "{setting} names '{name}', which the expression uses as an input; "
        "the upstream gradient is a value of its own (cs231n's dout), not an input"
    ),
    "upstream.shape": (
        "the upstream gradient ({setting}) has shape {got}, but the output {name} has shape {want}; "
        "the upstream must have the output's shape"
    ),
    "upstream.shape_hint": "cs231n makes it as dout = np.random.randn(*out.shape)",
    "upstream.note": (
        "backward starts from the upstream gradient {name} (shape {shape}) given for the output {output}: "
        "the gradients are those of sum({output} * {name}), as cs231n's eval_numerical_gradient_array checks them"
    ),
    # update rules and backcalc step
    "optim.unknown_rule": "unknown update rule '{name}'; choose one of: {rules}",
    "optim.unknown_setting": "{rule}: unknown setting '{key}' (its settings: {known})",
    "optim.finite": "{rule}: {key} must be a finite number, got {got}",
    "optim.lr_positive": "{rule}: learning_rate must be positive, got {got}",
    "optim.t_whole": "{rule}: t (the step count) must be a whole number, got {got}",
    "optim.t_negative": "{rule}: t (the step count) must be >= 0, got {got}",
    "optim.state_shape": "{rule}: {key} has shape {shape}, but w has shape {w}; the state must have w's shape",
    "optim.lr_decay": "{setting} must be in (0, 1], got {got}",
    "optim.none": "none",
    "optim.missing": "step {rule}: no value for '{name}' (values given: {have})",
    "optim.missing_hint": "define {w} and {dw} in the setup lines, e.g. {w} = np.linspace(-0.4, 0.6, num=20).reshape(4, 5)",
    "optim.dw_shape": "step {rule}: {dw} has shape {dw_shape}, but {w} has shape {w_shape}",
    "optim.overflow": "step {rule}: the next w is not finite (overflow); check the settings",
    "step.unknown_name": "step {rule}: '{name}' is neither {w}, {dw} nor a setting of {rule} (its settings: {keys})",
    "plot.no_plot": "(no plot: the loss is not a finite number)",
    "plot.linear_title": "loss per epoch (linear scale)",
    "plot.log_title": "loss per epoch (log scale)",
    # the training report
    "train.report.head": (
        "trained {spec} on {data}: {epochs} of {per_epoch} ({kind} gradient descent, batch {batch}, "
        "lr {lr}{shuffled}), {steps} steps in {seconds} s"
    ),
    "train.report.epoch_1": "{n} epoch",
    "train.report.epochs": "{n} epochs",
    "train.report.step_1": "{n} step",
    "train.report.steps": "{n} steps",
    "train.report.shuffled": ", shuffled",
    "train.kind.per_example": "per example",
    "train.kind.batch": "batch",
    "train.kind.mini_batch": "mini-batch",
    "train.report.loss": (
        "loss: epoch 1 {first}, epoch {last_epoch} {last}; on all the data with the final weights {final}"
    ),
    "train.report.accuracy": "accuracy: epoch 1 {first}, epoch {last_epoch} {last}",
    "train.report.accuracy_final": "; on all the data with the final weights {final}",
    "train.data.spec": "the spec's x and y ({rows} rows)",
    "train.data.file": "{path} ({rows} rows; features {features}; targets {targets})",
    "train.no_data": "{spec}: no x and y to train on",
    "train.no_data_hint": "give {data} FILE, or x and y in the spec",
    "train.epochs_min": "{epochs} must be at least 1, got {got}",
    "train.lr_positive": "{lr} must be a positive number, got {got}",
    # the ops' domains and the layers' shapes
    "engine.domain": "{detail} (in {text})",
    "engine.of_shape": "{who} of shape {shape}",
    "engine.a_scalar": "{who} (a scalar)",
    "engine.and": "{left} and {right}",
    "ops.positive": "{op} needs a positive input, got {got}",
    "ops.non_negative": "{op} needs a non-negative input, got {got}",
    "ops.division_by_zero": "division by zero: the denominator is 0",
    "ops.zero_negative_power": "0 raised to a negative power ({power}) divides by zero",
    "ops.negative_base": "a negative base ({base}) to a non-integer power ({power}) is not a real number",
    "ops.zero_negative_power_array": "0 raised to a negative power divides by zero",
    "ops.negative_base_array": "a negative base to a non-integer power is not a real number",
    "ops.at_index": "{value} at index {index}",
    "layers.a_scalar": "a scalar",
    "layers.scalar_shape": "() (a scalar)",
    "layers.feature": "feature (column)",
    "layers.channel": "channel",
    "layers.height": "height",
    "layers.width": "width",
    "layers.affine_x": "affine needs x of shape (N, d1, ...) with N samples in rows, got x of shape {got}",
    "layers.affine_w": "affine needs w of shape (D, M), got w of shape {got}",
    "layers.affine_rows": "affine flattens x of shape {x} to ({n}, {d}), so w needs {d} rows; w has shape {w}",
    "layers.affine_b": "affine needs b of shape ({m},) (one per column of w {w}), got {got}",
    "layers.scores": "{op} needs scores of shape (N, C), got scores of shape {got}",
    "layers.labels_shape": "{op} needs one integer label per row of scores {scores}: labels of shape ({n},), got {got}",
    "layers.labels_whole": "{op}: the labels must be whole numbers (class indices), got {got} at index {index}",
    "layers.label_range": (
        "{op}: label {got} at index {index} is out of range: scores have {classes} classes, "
        "so labels go from 0 to {last}"
    ),
    "layers.norm_x": "{op} needs x of shape {want}, got x of shape {got}",
    "layers.norm_param": "{op} needs {label} of shape ({k},), one per {over} of x {x}, got {label} of shape {got}",
    "layers.dropout_p": "dropout's p is the probability of keeping a unit: it must be in (0, 1], got {got}",
    "layers.dropout_seed": "dropout's seed must be a whole number from 0 to 2**32 - 1, got {got}",
    "layers.conv_x": "conv needs x of shape (N, C, H, W), got x of shape {got}",
    "layers.conv_w": "conv needs w of shape (F, C, HH, WW), got w of shape {got}",
    "layers.conv_channels": "conv: x {x} has {c} channels but w {w} expects {want}",
    "layers.conv_b": "conv needs b of shape ({f},), one per filter of w {w}, got {got}",
    "layers.conv_written": "conv's stride and pad are numbers written in the expression",
    "layers.too_big": (
        "{what} would need an array of {n:,} elements, more than the limit of {limit:,} "
        "(raise it with BACKCALC_MAX_ARRAY_ELEMENTS)"
    ),
    "layers.conv_padded": "conv's zero-padded input",
    "layers.conv_output": "conv's output",
    "layers.conv_windows": "conv's gradient of the windows",
    "layers.pool_windows": "maxpool's windows",
    "layers.conv_stride": "conv's stride must be a whole number of at least 1, got {got}",
    "layers.conv_pad": "conv's pad must be a whole number of at least 0, got {got}",
    "layers.conv_tile": (
        "conv: the filter {axis} {k} does not tile the input {axis} {n} with pad {p} and stride {s} "
        "({n} + 2*{p} - {k} = {span} must be a non-negative multiple of {s}; x {x}, w {w})"
    ),
    "layers.pool_x": "maxpool needs x of shape (N, C, H, W), got x of shape {got}",
    "layers.pool_written": "maxpool's ph, pw and stride are numbers written in the expression",
    "layers.pool_whole": "maxpool's {name} must be a whole number of at least 1, got {got}",
    "layers.pool_tile": (
        "maxpool: pools of {axis} {k} with stride {s} do not tile the input {axis} {n} "
        "({n} - {k} must be a non-negative multiple of {s}; x {x})"
    ),
    "layers.reshape_sizes": "reshape's sizes must be whole numbers of at least 1 (or one -1), got {got}",
    "layers.reshape_one": "reshape can infer only one size (-1)",
    "layers.reshape": "cannot reshape an array of shape {shape} ({size} elements) to {to}",
    # labels, places in the text
    "label.error": "error",
    "label.hint": "hint",
    "label.warning": "warning",
    "where.column": "column {column}",
    "where.line_column": "line {line}, column {column}",
    # the command line: reports and its own errors
    "cli.interrupted": "interrupted",
    "cli.out_of_memory": "out of memory: the input is too large for this machine",
    "cli.too_deep": "the input is nested too deeply",
    "cli.internal": (
        "internal error ({kind}: {detail}); this is a bug in backcalc, please report it with the command you ran"
    ),
    "cli.no_graphviz_page": (
        "Graphviz's dot is not installed, so the page has no picture (Debian/Ubuntu: apt-get install graphviz)"
    ),
    "cli.read_expression": "cannot read the expression from {where}: {reason}",
    "cli.stdin": "standard input",
    "cli.not_utf8": "the expression in {where} is not UTF-8 text (byte {byte})",
    "cli.wrt_empty": "--wrt needs at least one name, e.g. --wrt x,y",
    "cli.spec_extension": "cannot write the spec to {output}: end the file name with .toml or .json",
    "cli.format_not_written": "{command} writes {formats}, not {format}",
    "cli.wrote": "wrote {path}",
    "cli.wrote_results": "wrote {count} results.json files under {path}",
    "cli.expect_item": "--expect: {detail}",
    "cli.expect_hint": "write --expect x=-4 (an input's gradient) or --expect f=-12 (the output's value)",
    "cli.expect_twice": "--expect {name}=... is given twice",
    "cli.key_only": "{flags} applies to grading with an answer key",
    "cli.key_only_hint": "backcalc check --key KEY.toml SUBMISSION...",
    "cli.one_answer_file": "check takes one answer file, got {count}",
    "cli.one_answer_file_hint": (
        "to grade several submissions, give the answer key: backcalc check --key KEY.toml FILES..."
    ),
    "cli.self_check_formats": "an answer file's self-check writes table or json, not {format}",
    "cli.self_check_formats_hint": "the other formats grade submissions against an answer key: --key KEY.toml",
    "cli.stdin_too_large": "the answer file on standard input is larger than {limit:,} bytes",
    "cli.malformed_item": "{file}: {label}: {detail}",
    "cli.stdin_once": "standard input (-) can be read once",
    "cli.no_submissions": "no submissions found in {files}",
    "cli.no_submissions_hint": "submissions are *.toml or *.json files",
    "cli.malformed_submission": "{file}: malformed submission: {detail}",
    "cli.mkdir": "cannot create the directory {path}: {reason}",
    "cli.one_results_json": "-o {output}: one results.json holds one submission, and there are several",
    "cli.one_results_json_hint": "give a directory: -o results/ writes results/STUDENT/results.json",
    "cli.diverged": "{detail}; nothing was written",
    "cli.diverged_hint": "try a smaller --lr (or fewer epochs)",
    "cli.train_interrupted": "interrupted after {steps} steps (epoch {epoch} of {epochs})",
    "cli.train_interrupted_saved": (
        "interrupted after {steps} steps (epoch {epoch} of {epochs}); the trained network was saved"
    ),
    "cli.progress_epoch": "epoch",
    "cli.progress_loss": "loss",
    "cli.progress_elapsed": "elapsed",
    "cli.progress_left": "left",
    # usage errors (the command line itself)
    "usage.no_option": "no such option: {option}",
    "usage.dash_dash": "an expression that starts with '-' goes after '--': {fixed}",
    "usage.did_you_mean": "did you mean {name}?",
    "usage.see_help": "see {command} --help",
    "usage.missing": "missing argument {name}",
    "usage.needs_value": "option {option} needs a value",
    "usage.no_value": "option {option} does not take a value",
    "usage.extra": "unexpected extra argument: {args}",
    "usage.no_command": "no such command '{name}'",
    "usage.commands": "the commands are: {names}",
    "usage.bad_choice": "{option} {value}: not one of {choices}",
    "usage.integer": "an integer",
    "usage.number": "a number",
    "usage.not_a_number": "{option} {value}: expected {kind}",
    "usage.range": "{option} {value}: must be in the range {range}",
    "usage.bad_value": "{option}: {detail}",
    # --help: panels and option texts
    "panel.arguments": "Arguments",
    "panel.options": "Options",
    "panel.commands": "Commands",
    "panel.output": "Output",
    "panel.checking": "Checking",
    "panel.arrays": "Gradients and arrays",
    "panel.language": "Language",
    "panel.grading": "Grading (with --key)",
    "panel.training": "Training",
    "panel.network": "Network",
    "help.format": "table, json, dot, markdown, latex or html (default: table; json when piped).",
    "help.format_table_json": "table or json (default: table on a terminal, json when piped).",
    "help.check_format": "table or json; with --key also csv, gradescope, junit, markdown.",
    "help.default": "[default: {}]",
    "help.required": "[required]",
    "help.help": "Show this message and exit.",
    "help.version": "Show the version and exit.",
    "help.cmd.app": (
        "A backprop calculator: forward values and chain-rule gradients, node by node.\n\n"
        'backcalc grad "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc explain "sigmoid(w0*x0+w1*x1+w2)" w0=2 x0=-1 w1=-3 x1=-2 w2=-3\n'
        "backcalc net examples/xor.toml"
    ),
    "help.cmd.grad.short": "Every node's forward value and chain-rule gradients.",
    "help.cmd.grad": (
        "Every node's forward value and chain-rule gradients.\n\n"
        'backcalc grad "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc grad "sigmoid(w0*x0+w1*x1+w2)" w0=2 x0=-1 w1=-3 x1=-2 w2=-3\n'
        'backcalc grad "sum((W @ x)**2)" "W=[[0.1,0.5],[-0.3,0.8]]" "x=[0.2,0.4]"'
    ),
    "help.cmd.graph.short": "The computational graph as a picture.",
    "help.cmd.graph": (
        "The computational graph as the lecture draws it: values in green, gradients in red.\n\n"
        'backcalc graph "(x+y)*z" x=-2 y=5 z=-4 -o graph.svg\n'
        'backcalc graph "sigmoid(w0*x0+w1*x1+w2)" w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o neuron.png'
    ),
    "help.cmd.explain.short": "The forward and backward pass narrated step by step.",
    "help.cmd.explain": (
        "The forward and backward pass step by step: gate, local gradient, "
        "upstream × local = downstream, and why.\n\n"
        'backcalc explain "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc explain "2*(x*y + max(z, w))" x=3 y=-4 z=2 w=-1 --lang ko'
    ),
    "help.cmd.check.short": "Grade an answer file, or a class of submissions with --key.",
    "help.cmd.check": (
        "Grade an answer file (exit 0 all pass, 1 any fails, 2 malformed), or with --key a class "
        "of submissions.\n\n"
        "backcalc check examples/answers.toml\n"
        "backcalc check --key key.toml submissions/ -f csv -o grades.csv"
    ),
    "help.cmd.net.short": "Forward and backward through a network spec.",
    "help.cmd.net": (
        "Forward and backward through a network spec: per layer z, a, delta = dL/dz, dL/dW, dL/db, "
        "and the loss.\n\n"
        "backcalc net examples/xor.toml\n"
        "backcalc net examples/xor.toml --step --lr 0.5 -o xor-1.toml"
    ),
    "help.cmd.train.short": "Train a network by gradient descent.",
    "help.cmd.train": (
        "Train a network by gradient descent (per example, batch or mini-batch) and plot the loss.\n\n"
        "backcalc train examples/xor.toml --epochs 2000 --lr 0.5 -o xor-trained.toml\n"
        "backcalc train examples/xor.toml --batch 1 --plot loss.png"
    ),
    "help.cmd.quiz.short": "Practise: fill in the forward values and gradients, marked at once.",
    "help.cmd.quiz": (
        "Practise backprop: type each node's forward value, then the gradients in backward order; "
        "each answer is marked at once, with a hint when wrong, and a score at the end.\n\n"
        'backcalc quiz "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc quiz "1/(1+exp(-(w0*x0+w1*x1+w2)))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3 --decimals 2\n'
        'backcalc quiz "(x+y)*z" x=-2 y=5 z=-4 -o quiz.html'
    ),
    "help.cmd.step.short": "One update of cs231n's optim.py (sgd, sgd_momentum, rmsprop, adam).",
    "help.cmd.step": (
        "One update step as cs231n's optim.py computes it: the next w and the rule's new state, "
        "from w, dw, the state and the config (a notebook's setup lines).\n\n"
        "backcalc step adam --setup examples/cs231n/setup-adam.txt\n"
        "backcalc step sgd_momentum --setup examples/cs231n/setup-sgd-momentum.txt -f json"
    ),
    "help.expression": 'The expression: "(x+y)*z", "q = x+y; f = q*z"; - or @FILE reads it.',
    "help.values": "Input values: x=-2 y=0.5 z=1/3 W=[[1,2],[3,4]].",
    "help.precision": "Significant digits (default 4; JSON keeps all).",
    "help.ties": "Rule at a max/min tie: split (default), all, first.",
    "help.expand": "Split sigmoid, tanh, softplus into gates.",
    "help.values_file": "Values from .json/.toml/.npz/.npy files.",
    "help.standalone": "-f latex: a complete document.",
    "help.lang": "en or ko (default: from LANG).",
    "help.spec": "A network spec: a .toml or .json file (see docs/networks.md).",
    "help.in_place": "Allow writing over the input spec (-o defaults to it).",
    "help.wrt": "Gradients only for these: --wrt x,y.",
    "help.symbolic": "Also each gradient as a formula (SymPy).",
    "help.timeout": "Seconds for --symbolic/--exact (default 30).",
    "help.exact": "Also compute exactly (1/3 stays 1/3).",
    "help.check": "Numerical gradient check (exit 1 if off).",
    "help.h": "Step of --check (default 1e-5).",
    "help.tol": "Relative error allowed (default 1e-6).",
    "help.atol": "Absolute error of --expect (default 1e-9).",
    "help.expect": "An expected answer (repeatable; exit 1).",
    "help.jacobian": "Also show small local Jacobians.",
    "help.nodes": "--no-nodes: only value and gradients.",
    "help.graph_output": (
        "Write the picture to FILE (.dot, .svg, .png, .pdf; all but .dot need Graphviz); without it, DOT on stdout."
    ),
    "help.max_nodes": "Draw pictures of up to N gates (default: refuse over 2000 gates or ~10 s of layout).",
    "help.check_file": (
        "An answer file (self-check); with --key, submissions: files, directories or - for standard input."
    ),
    "help.key": "Grade the files as submissions against this answer key (.toml or .json).",
    "help.rtol_key": "Relative tolerance for every problem.",
    "help.atol_key": "Absolute tolerance for every problem.",
    "help.decimals_key": "An answer passes when it is a correct rounding to this many decimals.",
    "help.output_key": (
        "Write the report to this file (atomically); with -f gradescope, a directory gets "
        "DIR/STUDENT/results.json per submission."
    ),
    "help.step": "Take one gradient-descent step: w <- w - lr * dL/dw.",
    "help.lr_step": "Learning rate of --step.",
    "help.net_output": "Write the (updated) spec to FILE (.toml or .json), atomically.",
    "help.net_explain": "Narrate the passes layer by layer (z, a, delta, dW, db), in --lang.",
    "help.data": "Training data: a .csv with a header or a .npz with x and y (default: the spec's x and y).",
    "help.target": "CSV target column(s): --target y or --target y1,y2.",
    "help.features": "CSV feature columns (default: every other column): --features x1,x2.",
    "help.epochs": "Passes over the data.",
    "help.batch": "Rows per step: 1 = per example, 0 = the whole batch, else mini-batches.",
    "help.lr": "Learning rate: w <- w - lr * dL/dw.",
    "help.seed": "Seed of the shuffling.",
    "help.shuffle": "Shuffle the rows at every epoch.",
    "help.train_output": "Save the trained network as a spec (.toml or .json); also when interrupted.",
    "help.plot": "Draw the loss per epoch into FILE (.png, .svg, .pdf); needs matplotlib.",
    "panel.setup": "The notebook's setup",
    "help.decimals": "Fixed decimals, as the slides round (0.73, -0.20).",
    "help.roles": "Gate words: 2017 (switcher) or 2019 (swap multiplier, copy gate).",
    "help.grad_output": "Write to FILE in the format of its extension (.json .md .tex .html .dot .svg .png).",
    "help.setup": "Values from a notebook's setup lines (read, never run); - reads stdin.",
    "help.upstream": "Start backward from this value (cs231n's dout) instead of ones.",
    "help.check_setup": (
        "Values for every problem from a notebook's setup lines (see docs/cs231n-setup.md); - reads standard input."
    ),
    "help.steps": (
        "Play the passes back one gate at a time, the current gate lit in a drawing of the graph "
        "(Enter: next, q: stop; every step at once when the input is not a terminal)."
    ),
    "help.explain_format": (
        "table (default), or a write-up: markdown, latex, html; with --steps, html is a page "
        "that plays the steps back gate by gate."
    ),
    "help.graph_format": "What to write to stdout without -o: dot (the default when piped), svg, or png/pdf (only into a pipe).",
    "help.notation": "Symbols of --explain: lecture (L, δ, W1, a1) or 3b1b (C0, w(L), a(L-1), as 3Blue1Brown writes them).",
    "help.update": (
        "Update rule, as cs231n's optim.py: sgd, sgd_momentum (0.9), rmsprop (0.99, 1e-8) or adam "
        "(0.9, 0.999, 1e-8); default: the spec's update, else sgd."
    ),
    "help.lr_decay": "Multiply the learning rate by this after every epoch (default: the spec's, else 1).",
    "help.quiz_decimals": "Accept answers rounded to N decimals (and show the correct ones rounded so).",
    "help.quiz_format": (
        "text: ask on the terminal, answers read line by line from standard input; "
        "html: a self-contained page with a box per blank that turns green or red."
    ),
    "help.quiz_output": "Write the HTML quiz page to FILE (implies --format html).",
    "help.step_rule": "The update rule: sgd, sgd_momentum, rmsprop or adam.",
    "help.step_values": "Settings or values as NAME=VALUE, overriding the setup: learning_rate=1e-3 t=5.",
    "help.step_setup": (
        "The notebook's setup lines: w, dw and the config dict (learning_rate, velocity, ...); "
        "- reads standard input."
    ),
    "help.step_w": "The name of the weights in the setup.",
    "help.step_dw": "The name of the gradient in the setup.",
    "help.step_config": "The name of the config dictionary in the setup.",
    # parsing expressions
    "parse.not_text": "the expression must be text",
    "parse.too_long": "the expression is {length:,} characters long; the limit is {limit:,}",
    "parse.raise_limit": "raise the limit with {variable}",
    "parse.no_arguments": "{name}() needs arguments",
    "parse.number_too_large": "the number {number} is too large for float64",
    "parse.ended": "the expression ended where a value was expected",
    "parse.no_keywords": "keyword arguments are not supported",
    "parse.expected_operand": "expected a number, a name or '(' but found '{found}'",
    "parse.assignment_hint": "an assignment looks like 'q = x + y' at the start of a statement",
    "parse.unexpected_eq": "unexpected '='",
    "parse.missing_operator": "missing operator before '{token}'",
    "parse.unmatched_close": "unmatched ')'",
    "parse.comma": "',' outside a function call",
    "parse.no_tuples": "tuples are not part of backcalc's expressions",
    "parse.unclosed": "expected ')' to close '(' at {where}",
    "parse.ended_here": "expression ended here",
    "parse.empty": "the expression is empty",
    "parse.empty_hint": 'write one, e.g. "(x+y)*z"',
    "parse.too_many_nodes": "the expression has more than {limit:,} nodes",
    "parse.underscore": "names may not start with '_' (got '{name}')",
    "parse.keyword": (
        "'{name}' is a Python keyword; backcalc expressions are arithmetic only "
        "(no lambdas, conditionals, comprehensions or statements)"
    ),
    "parse.too_deep": "nesting deeper than {limit:,} levels",
    "parse.unexpected_char": "unexpected character {char}",
    "parse.refused.attribute": "attribute access ('.') is not part of backcalc's expressions",
    "parse.refused.subscript": (
        "subscripts and list literals are not part of expressions; give arrays as values (W=[[1,2],[3,4]])"
    ),
    "parse.refused.subscript_close": "subscripts and list literals are not part of expressions",
    "parse.refused.braces": "braces are not part of backcalc's expressions",
    "parse.refused.string": "strings are not part of backcalc's expressions",
    "parse.refused.colon": "':' (lambdas, slices, annotations) is not part of backcalc's expressions",
    "parse.refused.not_operator": "'{char}' is not an operator here",
    "parse.refused.comparison": "comparisons are not part of backcalc's expressions",
    "parse.refused.bar": "'|' is not an operator here",
    "parse.refused.backslash": "backslashes are not part of backcalc's expressions",
    "parse.refused.backtick": "backticks are not part of backcalc's expressions",
    "parse.hint.write_instead": "write {right} for {wrong}",
    "parse.hint.module_prefix": "write {name}(...) for {written}(...): functions are called by their own names",
    "parse.hint.transpose": "for the transpose Wᵀ write transpose(W)",
    "parse.hint.norm": "write {right} for {written}",
    "parse.hint.abs": "write abs(x) for |x|",
    "parse.hint.prime": "{name}' is not a name: write another name such as {name}2 or {name}_prime",
    "parse.hint.call": "write '{name}({arg})': a function's argument goes in parentheses",
    "parse.hint.product": "write '{left} * {right}' for a product",
    # values and names
    "values.missing": "no value for '{name}'{more}. Give one as {name}=VALUE (values given: {given}).",
    "values.also_missing": " (also missing: {names})",
    "values.none": "none",
    "values.did_you_mean": "did you mean {name}={value} (you wrote {wrote}={value})?",
    "values.comma": "cannot read '{item}': separate values with spaces, not commas",
    "values.comma_hint": "write {fixed}",
    "values.not_assignment": "cannot read '{item}': values are given as NAME=VALUE, e.g. x=-2",
    "values.dash_dash": "options go before '--': backcalc grad -f table -- \"-x*y\" x=1 y=2",
    "values.bad_name": "cannot read '{item}': '{name}' is not a valid name",
    "values.twice": "{name} is given twice",
    "values.not_number": "cannot read {name}='{text}': expected a number such as -2, 0.5, 1e-3 or 1/3",
    "values.zero_denominator": "cannot read {name}={text}: the denominator is 0",
    "values.too_large": "cannot read {name}={text}: the number is too large for float64",
    "engine.unknown_function": "unknown function '{name}'",
    "engine.spelling_hint": "write {right}(...): backcalc calls it {right}",
    "engine.close_function": "did you mean {call}? known functions: {known}",
    "engine.known_functions": "known functions: {known}",
    # building and running the graph
    "engine.is_function": "'{name}' is a function; call it as {name}(...)",
    "engine.arity": "{name}() takes {takes}, got {got}",
    "engine.axis_constant": "the axis of {name}() must be a number written in the expression, e.g. {name}(x, 0)",
    "engine.axis_hint": "axes count from 0 (rows of a matrix are axis 0); -1 is the last axis",
    "engine.unused_statement": "this statement's value is never used; name it (q = ...) or remove it",
    "engine.assigned_twice": "'{name}' is assigned twice",
    "engine.assigned_twice_hint": "each name is assigned once; use a new name",
    "engine.used_before": "'{name}' is used before it is assigned",
    "engine.used_before_hint": "move '{name} = ...' before its first use",
    "engine.computed_and_given": "'{name}' is computed by the expression and also given a value",
    "engine.computed_and_given_hint": "drop {name}=VALUE or rename the intermediate",
    "engine.output_nan": "the output {name} is not a number (nan)",
    "engine.output_inf": "the output {name} is infinite",
    "engine.shape_mismatch": "shape mismatch at {node} = {text}: {op} got {got}; {why}",
    "engine.at": " at {where}",
    "engine.overflow": "{node} = {text}{at} overflowed to infinity; gradients through it are not meaningful",
    "engine.nan": "{node} = {text}{at} is not a number (nan); gradients through it are not meaningful",
    "engine.gradient_nonfinite": (
        "the gradient at {node} is {value}; check for overflow or a kink with an infinite slope "
        "(sqrt at 0, 0 ** negative)"
    ),
    "values.unused": "{name}={value} was given but the expression does not use '{name}'",
    "values.bad_array": "cannot read {name}={text}: not a valid array ({reason})",
    "values.array_hint": "write arrays as [1, 2] or [[1, 2], [3, 4]]",
    "values.not_numbers": "{name}: expected a number or a (nested) list of numbers, got {kind}",
    "values.too_many_dims": "{name}: an array of {dims} dimensions; at most {limit} are possible",
    "values.too_many_elements": "{name}: {size:,} elements is more than the limit of {limit:,}",
    "values.array_too_large": "{name}: array contains a number too large for float64",
    "values.element_not_number": "{name}: {element} is not a number",
    "values.ragged_mixed": "{name}: ragged array (lists mixed with numbers at depth {depth})",
    "values.ragged_rows": "{name}: ragged array (rows of lengths {lengths} at depth {depth})",
    "values.empty_array": "{name}: empty array",
    "values.bool": "{name}: expected a number, got a bool",
    "values.not_finite": "{name}: the value must be finite, got {value}",
    "values.ragged": "{name}: ragged array (rows of different lengths)",
    "values.array_not_finite": "{name}: the array contains inf or nan; give finite numbers",
    # network specs
    "spec.at_key": "{where}: {key}: {detail}",
    "spec.at": "{where}: {detail}",
    "spec.missing_key": "missing key",
    "spec.unknown_key": "unknown key",
    "spec.did_you_mean": "did you mean '{name}'?",
    # gradient check and expected answers
    "check.rel_error": "{name} (relative error {error} > tol {tol})",
    "check.failed": "gradient check failed for {parts}",
    "check.failed_hint": (
        "the analytic and numeric gradients disagree; a kink near the input, "
        "a large step h or a tight tolerance tol can also cause this"
    ),
    "check.failed_hint_settings": (
        "the analytic and numeric gradients disagree; a kink near the input, "
        "a large {h} or a tight {tol} can also cause this"
    ),
    "check.not_a_quantity": "'{name}' is neither an input nor the output (inputs: {inputs}; output: {output})",
    "check.mismatch": "{quantity} expected {expected}, computed {computed}{why}",
    "check.no_match": "answer does not match: {parts}",
    "check.no_match_hint": "to accept rounded answers, loosen the tolerance ({tol}), e.g. to 0.01",
    "check.positive": "{name} must be a positive number, got {value}",
    # answer files, arithmetic domains
    "answers.not_found": "answer file not found: {path}",
    "answers.directory": "{path} is a directory, not an answer file",
    "answers.stdin": "the answer file on standard input",
    "answers.not_toml": "{where} is not valid TOML: {reason}",
    "answers.see_example": "see examples/homework.toml for the format",
    "answers.not_utf8": "{where} is not UTF-8 text",
    "answers.no_problems": "{path}: no problems; add at least one [[problem]] table with an expression",
    "domains.ties": "unknown tie rule '{ties}'; choose one of: {choices}",
    "domains.no_rule": "op '{op}' has no rule for {label} values yet (used at {node} = {text})",
    "domains.no_rule_hint": "the numeric gradients still work without exact or symbolic arithmetic",
    # grading: reading keys and submissions
    "grading.not_found": "{what} not found: {path}",
    "grading.directory": "{what} {path} is a directory, not a file",
    "grading.cannot_read": "cannot read the {what} {path}: {reason}",
    "grading.too_large": "{what} {path} is larger than {limit:,} bytes",
    "grading.not_utf8": "{what} {path} is not UTF-8 text (byte {byte})",
    "grading.no_such_path": "no such file or directory: {path}",
    # values files
    "values.in_file": "{file} {path}: {detail}",
    "values.nesting": "{where}: arrays or objects nested more than {limit:,} levels deep{at}",
    "values.file_kind": "unknown kind of file '{ext}'",
    "values.file_kind_hint": "give a .json, .toml, .npy or .npz file",
    "values.file_too_large": "the file is larger than the limit of {limit:,} bytes",
    "values.file_unreadable": "cannot read the file ({reason})",
    "values.file_not_numbers": "not a readable {ext} file of numbers ({reason})",
    "values.npy_name": "a .npy file's name gives its value's name, and '{stem}' is not a valid name",
    "values.npy_name_hint": "rename it, e.g. to W.npy",
    "values.file_bad_name": "'{name}' is not a valid name for a value",
    "values.file_entry_unreadable": "{name} cannot be read ({reason})",
    "values.file_empty": "the file holds no arrays",
    "values.file_bad_array": "{name} is not a readable array ({reason})",
    "values.file_too_many": "{name} has {size:,} elements, more than the limit of {limit:,}",
    "values.file_bad_npz": "not a readable .npz file ({reason})",
    "values.file_not_utf8": "not UTF-8 text",
    "values.not_json": "{where}: not valid JSON ({reason})",
    "values.not_toml": "{where}: not valid TOML ({reason})",
    "values.file_not_object": "expected an object of NAME: value pairs, got {kind}",
    "values.number_too_large": "{where}: the number is too large for float64",
    "spec.number": "expected a number, got {got}",
    "spec.number_at_least": "expected a number >= {lo}, got {got}",
    "spec.number_below": "expected a number below {hi}, got {got}",
    "spec.integer_at_least": "expected a whole number >= {lo}, got {got}",
    "spec.numbers": "expected a number or a list of numbers, got {kind}",
    "spec.unknown_loss": "unknown loss {loss}; expected one of: {choices}",
    "spec.unknown_activation": "unknown activation {activation}; expected one of: {choices}",
    "grading.at": "{where}: {detail}",
    "grading.unknown_key_close": "unknown key '{key}'; did you mean '{close}'?",
    "grading.unknown_key": "unknown key '{key}'; known keys: {known}",
    "grading.nonneg": "expected a non-negative number, got {got}",
    "grading.decimals": "expected a whole number of decimals from 0 to 15, got {got}",
    "grading.key_not_table": "answer key {path}: expected a table of problems",
    "grading.see_key_example": "see examples/grading/key.toml",
    "grading.no_problems": "no problems; add [[problem]] tables with a name, an expression and values",
    "grading.same_name": "two problems are named {name}; names must be unique",
    "grading.problem_not_table": "expected a table ([[problem]])",
    "grading.no_name": "key 'name' is missing (submissions answer a problem by its name)",
    "grading.no_expression": "key 'expression': expected the expression as a string",
    "grading.values_not_table": "key 'values': expected a table such as values = {{ x = -2 }}",
    "grading.ties": "key 'ties': expected one of {choices}, got {got}",
    "grading.expand": "key 'expand': expected true or false",
    "grading.in_expression": " (at {where} of the expression)",
    "grading.problem_error": "{where}: {detail}{at}",
    "grading.ask_list": 'key \'ask\': expected a list of names, e.g. ask = ["value", "x"]',
    "grading.ask_twice": "key 'ask' names an item twice",
    "grading.ask_unknown": (
        "key 'ask': {item} is not the value, an input or a node of the expression (inputs: {inputs}; nodes: {nodes})"
    ),
    "grading.points_not_asked": "key 'points.{key}': '{key}' is not in the ask list",
    "usage.example": "for example: {example}",
    "values.wrt_unknown": "{wrt} names {names}, which the expression does not use (its inputs: {inputs})",
    "spec.file_kind": "{path}: unknown kind of spec file '{ext}'",
    "spec.file_kind_hint": "give a .toml or .json file",
    "spec.unreadable": "{path}: cannot read the spec ({reason})",
    "spec.text": "expected text, got {kind}",
    "spec.inputs_mismatch": "has {count} inputs per example, but inputs = {inputs}",
    "spec.wrong_parameter": "'{key}' is a parameter of {owner}, not of {activation}",
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
    # backcalc.step, the Python API (helper cs231n)
    "api.step_setting": "step {rule}: '{name}' is not a setting of {rule} (its settings: {settings})",
    "api.step_config": (
        "step {rule}: config must be a dictionary, as the notebook's config = {{'learning_rate': 1e-2, ...}}; "
        "got {got}"
    ),
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
