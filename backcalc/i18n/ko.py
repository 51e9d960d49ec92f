"""Korean messages, worded as the Korean cs231n notes word them (seeds 000 and 004).

The course vocabulary (upstream, local, downstream gradient; gradient
distributor / router / switcher) stays in English, as the notes keep it.
"""

MESSAGES = {
    "title": "단계별 backpropagation: {expr}",
    "inputs.heading": "입력 값",
    "forward.heading": "순방향 (forward pass): 입력에서 출력 쪽으로 각 노드의 값을 계산한다",
    "backward.heading": "역방향 (backward pass): 출력에서부터 입력 쪽으로, upstream × local = downstream",
    "inputs_grad.heading": "입력에 대한 gradient",
    "table.heading": "chain rule 표",
    "table.parts": "({consumers}에서 온 부분의 합)",
    "graph.heading": "계산 그래프 (computational graph)",
    "graph.legend": "edge 위의 초록색: 순방향 값, 아래의 빨간색: 뒤로 흐르는 gradient",
    "graph.missing": (
        "그림을 그리려면 Graphviz의 dot 프로그램이 필요한데 설치되어 있지 않다 "
        "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz). "
        "아래의 표와 단계에 같은 숫자가 모두 있다."
    ),
    "summary": "결과: {out} = {value}",
    "generated": "backcalc로 생성함.",
    "col.node": "노드",
    "col.gate": "게이트",
    "col.inputs": "입력",
    "col.value": "값",
    "col.role": "역할",
    "col.local": "local",
    "col.upstream": "upstream",
    "col.downstream": "downstream",
    "gate": "{name} 게이트",
    "gate.expanded": "{name} 게이트, {origin}의 일부",
    "role.distributor": "gradient distributor",
    "role.router": "gradient router",
    "role.switcher": "gradient switcher",
    "role.scaler": "gradient scaler",
    "role.function": "함수",
    "op.add": "덧셈",
    "op.sub": "뺄셈",
    "op.mul": "곱셈",
    "op.div": "나눗셈",
    "op.neg": "부호 반전",
    "op.pos": "양의 부호",
    "op.pow": "거듭제곱",
    "op.exp": "지수 함수(exp)",
    "op.log": "로그",
    "op.sqrt": "제곱근",
    "op.sin": "sin",
    "op.cos": "cos",
    "op.tan": "tan",
    "op.tanh": "tanh",
    "op.sigmoid": "시그모이드",
    "op.softplus": "softplus",
    "op.relu": "ReLU",
    "op.abs": "절댓값",
    "op.max": "max",
    "op.min": "min",
    "inputs.line": "{assignments}",
    "forward.step": "{node} = {formula} = {value} ({gate})",
    "forward.step_subst": "{node} = {formula} = {subst} = {value} ({gate})",
    "backward.start": "{grad} = {value}: 출력을 자기 자신으로 미분한 값이다.",
    "backward.gate": "{node} = {formula} ({gate}, {role})",
    "backward.upstream": "upstream gradient: {grad} = {value}",
    "backward.upstream_sum": (
        "upstream gradient: {grad} = {parts} = {value}, {count}개의 branch({consumers})에서 "
        "온 값의 합: 하나의 노드가 여러 branch를 가질 때는 각 branch에서 얻어지는 "
        "gradient를 더해야 한다."
    ),
    "backward.local": "local gradient: {partial} = {formula} = {value}",
    "backward.local_value": "local gradient: {partial} = {value}",
    "backward.downstream": "{input} 쪽으로 가는 downstream gradient: upstream × local = {chain}",
    "backward.downstream_const": "(상수 {input}의 gradient는 따로 보이지 않는다)",
    "why.distributor": (
        "이유: {gate}는 gradient distributor다. 뒤에서부터 오는 gradient를 각 입력에 똑같이 "
        "나눠준다 (local gradient 1, 빼는 입력에는 -1)."
    ),
    "why.router": (
        "이유: {gate}는 gradient router다. 선택된 입력(max에서는 더 큰 값)에만 gradient를 그대로 "
        "전달하고, 그렇지 않은 입력에는 0을 준다."
    ),
    "why.switcher": (
        "이유: {gate}는 gradient switcher다. 각 입력은 upstream gradient에 다른 입력의 값을 곱해 "
        "받으므로, 두 입력의 값이 서로 교환된다."
    ),
    "why.scaler": "이유: {gate}는 gradient scaler다. upstream gradient에 상수를 곱해 보낸다.",
    "why.function": (
        "이유: {gate}는 함수 게이트다. upstream gradient에 그 입력에서의 도함수 값(local gradient)을 곱한다."
    ),
    "why.other": "이유: chain rule에 따라 downstream = upstream × local.",
    "flag.tie": "참고: 입력 값이 같다 ({flag}). '{rule}' 규칙을 적용했다: {rule_text}.",
    "flag.kink": (
        "참고: 꺾이는 점이다 ({flag}). 입력이 정확히 꺾이는 지점에 있어서 도함수를 0으로 "
        "둔다 (PyTorch와 같다)."
    ),
    "flag.other": "참고: {flag}.",
    "tie.split": "같은 입력들이 gradient를 똑같이 나눠 가진다 (PyTorch, JAX와 같다)",
    "tie.all": "같은 입력 모두가 gradient 전체를 받는다 (cs231n 노트의 코드와 같다)",
    "tie.first": "같은 입력 중 첫 번째만 gradient를 받는다",
    "inputs_grad.line": "{grad} = {value}",
    "inputs_grad.sum": (
        "{grad} = {parts} = {value}: {count}곳({consumers})에서 쓰이는 {name}의 gradient는 "
        "각 branch에서 온 gradient를 더한 값이다."
    ),
    "inputs_grad.meaning": (
        "각 gradient는 그 입력을 조금 바꿨을 때 최종 출력 {out}에 미치는 영향력이다: "
        "입력이 작은 ε만큼 바뀌면 {out}의 값은 약 gradient × ε만큼 바뀐다."
    ),
    # grading (backcalc check --key): 제출물에 대한 피드백
    "grade.malformed": "제출물을 읽을 수 없다 ({reason}): 모든 답이 0점",
    "grade.missing_problem": "문제 '{problem}'에 대한 답이 없다: 0점",
    "grade.missing_answer": "{quantity}에 대한 답이 없다: 0점",
    "grade.unreadable": "{quantity}의 답을 읽을 수 없다 ({reason}): 0점",
    "grade.shape": "{quantity}: 답의 shape는 {given}인데, 정답의 shape는 {correct}이다",
    "grade.wrong": "{quantity}: 답 {answer}은(는) 정답 {correct}이(가) 아니다",
    "grade.unknown_problem": "문제 '{problem}'는 answer key에 없다; 그 답은 무시한다",
    "grade.did_you_mean": " ('{name}'를 뜻했나?)",
    "grade.not_asked": "문제 '{problem}': {quantity}는 채점하지 않는다; 그 답은 무시한다",
    "mistake.rounding": (
        "{quantity}: 반올림만 다르다: 정답은 {correct}이고, 소수점 {decimals}자리로 반올림하면 {rounded}이다"
    ),
    "mistake.sign": "{quantity}: 부호가 반대다: 정답은 {correct}이다",
    "mistake.swapped": "{quantity}: {other}와 바뀌었다: 두 답이 서로의 gradient이다",
    "mistake.branch": (
        "{quantity}: branch를 더하지 않았다: {node}는 게이트 {count}개에서 쓰이고, {part}는 "
        "{consumer}에서 돌아온 부분뿐이다; branch point에서는 gradient를 모두 더한다: {parts}"
    ),
    "mistake.upstream": (
        "{quantity}: upstream gradient를 곱하지 않았다: 답은 local gradient "
        "∂{consumer}/∂{node} = {local}이다; {consumer}에 도착한 upstream gradient ({upstream})를 곱해야 한다"
    ),
    "mistake.forward": ("{quantity}: 그것은 {node}의 순방향 값 ({value})인데, 물어본 것은 gradient이다"),
    # --- tables, colours, decimals (issue 13, view) ---
    "col.shape": "shape",
    "col.input": "입력",
    "table.where": "여기서",
    "table.roles": "역할:",
    "table.note": "참고: {note}",
    "table.jacobians": "local Jacobian (행: 게이트 출력의 원소, 열: 입력의 원소, 행 우선 순서):",
    "table.size": (
        "표가 {rows}행이라 출력에 시간이 걸린다. 값과 gradient만 보려면 --no-nodes를 쓰고, "
        "-f json이 더 빠르다"
    ),
    "explain.size": (
        "설명이 {steps}단계라 출력에 시간이 걸린다. 값과 gradient만 보려면 backcalc grad --no-nodes를 "
        "쓰고, -f json이 더 빠르다"
    ),
    "check.symbolic": "기호 미분 (SymPy)",
    "check.input": "입력",
    "check.chain": "노드별 chain rule",
    "check.formula_value": "입력에서 계산한 식의 값",
    "check.numeric": "수치 계산",
    "check.agrees": "일치",
    "check.exact": "정확한 계산",
    "check.gradcheck": "gradient check (중심 차분, h = {h}, tol = {tol})",
    "check.analytic": "해석적 gradient",
    "check.relative_error": "상대 오차",
    "check.result": "결과",
    "check.gradcheck_passed": "gradient check 통과",
    "check.gradcheck_failed": "gradient check 실패",
    "check.expected_answers": "기대한 답",
    "check.answer": "답",
    "check.expected": "기댓값",
    "check.computed": "계산한 값",
    "check.error": "오차",
    "check.pass": "✓ 통과",
    "check.fail": "✗ 틀림",
    # --- errors, hints, help, reports (issue 13, language) ---
    # --- teaching: explain, steps, quiz, pictures, training (issue 14) ---
    "graph.tip.input": "입력",
    "graph.tip.value": "값",
    "graph.tip.grad": "gradient",
    "graph.terminal": (
        "graph는 터미널에 쓸 글이 아니라 그림입니다: -o graph.svg (또는 .png, .pdf; Graphviz가 그립니다)로 "
        "파일에 그리거나, -f dot으로 DOT 텍스트를 출력하세요"
    ),
    "graph.binary_terminal": "{fmt}는 바이너리 이미지입니다: -o graph.{fmt}로 파일에 쓰거나 파이프로 넘기세요",
    "train.diverged.nonfinite": (
        "step {step}(epoch {epoch})에서 loss가 유한한 수가 아니게 되었습니다({value}): "
        "학습이 발산했습니다. --lr 값을 더 작게(예: {lr}) 해 보세요"
    ),
    "train.diverged.grew": (
        "loss가 epoch 1의 {first}에서 epoch {epoch}의 {value}까지 열 배 넘게 커졌습니다: "
        "학습이 발산했습니다. --lr 값을 더 작게(예: {lr}) 해 보세요"
    ),
    "train.diverged.ended_above": (
        "마지막 loss({value}, epoch {epoch})가 처음 loss({first}, epoch 1)보다 큽니다: "
        "학습이 발산했습니다. --lr 값을 더 작게(예: {lr}) 해 보세요"
    ),
    "train.not_saved": "loss가 유한한 수가 아니어서 학습한 network를 저장하지 않았습니다",
    "narrate.title": "{title}: layer별 순방향 계산, 그리고 loss에서 입력까지 거꾸로 가는 backward pass",
    "narrate.subtitle": "{spec}: {sizes} network, loss {loss}",
    "narrate.batch": "example {n}개짜리 batch (example마다 한 행)",
    "narrate.forward": "순방향 (입력 → 출력)",
    "narrate.backward": "backward pass (loss → 입력)",
    "narrate.layer": "layer {n}: {act}, {W}의 shape {shape}",
    "narrate.layer_back": "layer {n}",
    "narrate.layer_3b1b": "layer {n}, 표기 ({tag})",
    "narrate.loss_head": "loss",
    "narrate.identity": "identity: activation 없음",
    "narrate.dloss": "loss({loss})를 network의 출력으로 미분한 값",
    "narrate.fused": "softmax와 cross-entropy를 함께 미분하면 확률에서 one-hot target을 뺀 값이 되어 Jacobian이 필요 없다",
    "narrate.d.identity": "identity: ∂{a}/∂{z} = 1",
    "narrate.d.sigmoid": "sigmoid의 도함수: σ'(z) = σ(z)(1 − σ(z)) = {a}(1 − {a})",
    "narrate.d.tanh": "tanh의 도함수: tanh'(z) = 1 − tanh²(z) = 1 − {a}²",
    "narrate.d.relu": "ReLU의 도함수: {z} > 0인 곳은 1, 나머지는 0 (gradient router)",
    "narrate.d.leaky_relu": "leaky ReLU의 도함수: {z} > 0인 곳은 1, 나머지는 기울기(slope)",
    "narrate.d.elu": "ELU의 도함수: {z} > 0인 곳은 1, 나머지는 {a} + α",
    "narrate.d.softmax": "softmax의 vector-Jacobian product (Jacobian을 만들지 않고 계산)",
    "narrate.d.maxout": "max는 gradient를 이긴 piece에만 보낸다 (gradient router)",
    "narrate.one_weight": "가중치 하나: {formula} = {numbers} = {value}",
    "narrate.summed": "example들에 대해 합함",
    "narrate.reg": "L2 항 λ Σ {W}²의 미분 2λ {W}도 더한다 (λ = {l2})",
    "narrate.sent_back": "layer {n}에 보냄",
    "narrate.no_grad": "데이터 x와 target y는 gradient를 받지 않는다: gradient는 가중치와 bias만 받는다.",
    "narrate.batch_mean": "loss는 example {n}개의 평균이므로 example마다 δ에 1/{n}이 곱해진다.",
    "narrate.step": "gradient descent 한 step: w ← w − lr · ∂L/∂w (lr = {lr})",
    "narrate.loss_after": "같은 데이터에서 loss: step 전 {before}, step 후 {after}",
    # (explain, roles, steps, quiz)
    "steps.forward": "{total}단계 중 {k}단계 · 순방향 (forward pass) · {node}",
    "steps.backward": "{total}단계 중 {k}단계 · 역방향 (backward pass) · {node}",
    "steps.keys": "Enter: 다음 단계 · q: 멈춤",
    "steps.prev": "◀ 이전",
    "steps.next": "다음 ▶",
    "steps.page_title": "게이트별 backpropagation: {expr}",
    "role.swap_multiplier": "swap multiplier",
    "role.copy": "copy gate (gradient adder)",
    "why.swap_multiplier": (
        "이유: {gate}는 swap multiplier다. 각 입력은 upstream gradient에 다른 입력의 값을 곱해 "
        "받으므로, 두 입력의 값이 서로 바뀐다."
    ),
    "why.copy": (
        "copy gate: {count}번 쓰이는 {name}의 자리에는 copy gate, 곧 gradient adder가 있다: "
        "쓰인 곳마다 돌아온 gradient를 더한다."
    ),
    "quiz.intro": "퀴즈: {expr}. 빈칸 {count}개: 답을 입력하고 Enter를 누른다 (q를 입력하면 멈춘다).",
    "quiz.decimals": "소수점 {decimals}자리로 반올림한 답도 정답으로 인정한다.",
    "quiz.forward": "순방향 (forward pass): 입력에서 출력 쪽으로, 각 게이트의 값",
    "quiz.backward": "역방향 (backward pass): 출력에서부터 거꾸로, 각 노드에서 {out}의 gradient (∂{out}/∂{out} = 1)",
    "quiz.ask_value": "{node} = {formula} = ?",
    "quiz.ask_grad": "{grad} = ?",
    "quiz.ask_part": "{grad}, 게이트 {consumer}에서 {node} 쪽으로 보내는 부분 = ?",
    "quiz.right": "✓ 정답",
    "quiz.wrong": "✗ 틀렸다. 한 번 더 해 보자.",
    "quiz.reveal": "✗ 틀렸다. 정답은 {correct}",
    "quiz.hint.rounding": "힌트: 거의 맞았지만 반올림이 다르다.",
    "quiz.hint.sign": "힌트: 부호를 확인해 보자.",
    "quiz.hint.swapped": "힌트: 그것은 다른 입력의 gradient다.",
    "quiz.hint.branch": "힌트: 노드 {node}: 여러 게이트에서 쓰이는 노드다. 모든 branch에서 온 gradient를 더하자.",
    "quiz.hint.upstream": "힌트: 그것은 local gradient일 뿐이다. 게이트 {consumer}에 도착한 upstream gradient를 곱하자.",
    "quiz.hint.forward": "힌트: 그것은 순방향 값이다. 물어본 것은 gradient다.",
    "quiz.unreadable": "답을 읽을 수 없다 ({reason}). -4나 0.25 같은 숫자를 입력하거나, q를 입력해 멈춘다",
    "quiz.score": "점수: {total}개 중 {right}개 정답 (처음에 맞힌 답 {first}개)",
    "quiz.stopped": "빈칸 {total}개 중 {answered}개에서 멈췄다.",
    "quiz.page_title": "Backprop 퀴즈: {expr}",
    "quiz.page_help": "빈칸을 채우자: 답이 맞으면 칸이 초록색, 틀리면 빨간색이 된다.",
    "quiz.page_score": "{total}개 중 {right}개 정답",
    "backward.vjp_note": (
        "배열 게이트: 각 downstream gradient는 게이트의 규칙으로 upstream gradient에서 바로 만든다 "
        "(vector-Jacobian product, 입력과 같은 shape). Jacobian은 만들지 않는다."
    ),
    "backward.vjp": "{input} 쪽으로 가는 downstream gradient (shape {shape}): {grad} = {chain}",
    "backward.vjp_broadcast": (
        "{input} 쪽으로 가는 downstream gradient (shape {shape}): {grad} = {chain}; "
        "{input}의 값이 broadcast되었으므로 broadcast된 축을 따라 gradient를 더한다"
    ),
    # --- cs231n layers, setup, upstream, step (issue 15) ---
    # layer gates (issue 15, layers)
    "op.affine": "affine 계층",
    "op.leaky_relu": "Leaky ReLU",
    "op.elu": "ELU",
    "op.svm_loss": "SVM 손실",
    "op.softmax_loss": "softmax 손실",
    "op.batchnorm": "배치 정규화",
    "op.layernorm": "층 정규화",
    "op.spatial_batchnorm": "공간 배치 정규화",
    "op.dropout": "드롭아웃",
    "op.conv": "합성곱",
    "op.maxpool": "최대 풀링",
    "op.reshape": "모양 바꾸기(reshape)",
    # setup lines, upstream, gradient check, step (helper setup)
    "gradcheck.cs231n": (
        "{name}: cs231n relative error {error}, 오차가 가장 큰 원소 {at} (analytic {analytic}, numerical {numeric})"
    ),
    "gradcheck.kink_between": (
        "  kink 위(또는 h 이내)에 있는 원소 {at}: 한쪽 차분 left {left}, right {right}; "
        "analytic 값 {analytic}: 두 차분 사이에 있으니 올바른 subgradient입니다"
    ),
    "gradcheck.kink_outside": (
        "  kink 위(또는 h 이내)에 있는 원소 {at}: 한쪽 차분 left {left}, right {right}; "
        "analytic 값 {analytic}: 두 차분 사이를 벗어났습니다"
    ),
    # --- notebooks and the Python API (issue 16) ---
    "nb.no_dot": (
        "그림 없음: Graphviz의 dot 프로그램이 필요하다 (Debian/Ubuntu: apt-get install graphviz; "
        "conda install graphviz; macOS: brew install graphviz). 표에 모든 숫자가 있다."
    ),
    "nb.big_graph": (
        "graph의 게이트가 {gates}개라서 셀 안에 그리기에는 너무 크다. "
        'backcalc.graph(r, output="graph.svg")로 파일에 그릴 수 있다.'
    ),
    "nb.dot_failed": "그림 없음: Graphviz가 그리지 못했다 ({why}). 표에 모든 숫자가 있다.",
    "nb.more_rows": (
        "… 노드 {more}개가 더 있다: 표 전체는 r.to_html()로 만든 페이지에서 볼 수 있다 "
        "(r.to_markdown(), r.to_json()도 있다)."
    ),
    "nb.where": "여기서",
    "nb.layer": "층",
    "nb.activation": "활성화 함수",
    "nb.step": "learning rate {lr}로 gradient descent를 한 번 한 뒤의 loss: {loss}",
    "nb.net_graph": "네트워크의 graph (노드 {nodes}개)를 노드별로 보려면: .result (chain rule 표).",
    "nb.trained": (
        "{spec} 학습 ({data}): epoch {epochs}번, step {steps}번 (batch {batch}, lr {lr}), {seconds}초"
    ),
    "nb.losses": "loss: epoch 1에서 {first}, epoch {epochs}에서 {last}; 최종 가중치로 전체 데이터에서 {final}",
    "nb.interrupted": "step {steps}번 뒤에 중단됨 (epoch {asked}번 중 {epochs}번): 결과에는 그때까지 학습한 것이 들어 있다",
    "nb.more_students": "… 제출물 {more}개가 더 있다: 모든 보고서는 .submissions에 있다.",
}
