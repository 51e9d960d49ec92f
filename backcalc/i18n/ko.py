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
    "graph.heading": "computational graph",
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
    "backward.downstream": "{input}(으)로 가는 downstream gradient: upstream × local = {chain}",
    "backward.downstream_array": (
        "{input}(으)로 가는 downstream gradient: {value} (shape {shape}; Jacobian을 "
        "만들지 않고 vector-Jacobian product로 계산)"
    ),
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
        "{grad} = {parts} = {value}: {name}이(가) {count}곳({consumers})에서 쓰이므로 "
        "각 branch의 gradient를 더한다."
    ),
    "inputs_grad.meaning": (
        "각 gradient는 그 입력을 조금 바꿨을 때 최종 출력 {out}에 미치는 영향력이다: "
        "입력이 작은 ε만큼 바뀌면 {out}는 약 gradient × ε만큼 바뀐다."
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
    # --- errors, hints, help, reports (issue 13, language) ---
    # --- teaching: explain, steps, quiz, pictures, training (issue 14) ---
    # --- cs231n layers, setup, upstream, step (issue 15) ---
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
}
