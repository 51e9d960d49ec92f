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
    "op.input": "입력",
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
    "backward.downstream": "{input:으로/로} 가는 downstream gradient: upstream × local = {chain}",
    "backward.downstream_const": "(상수 {input}의 gradient는 따로 보이지 않는다)",
    "why.distributor": (
        "이유: {gate:은/는} gradient distributor다. 뒤에서부터 오는 gradient를 각 입력에 똑같이 "
        "나눠준다 (local gradient 1, 빼는 입력에는 -1)."
    ),
    "why.router": (
        "이유: {gate:은/는} gradient router다. 선택된 입력(max에서는 더 큰 값)에만 gradient를 그대로 "
        "전달하고, 그렇지 않은 입력에는 0을 준다."
    ),
    "why.switcher": (
        "이유: {gate:은/는} gradient switcher다. 각 입력은 upstream gradient에 다른 입력의 값을 곱해 "
        "받으므로, 두 입력의 값이 서로 교환된다."
    ),
    "why.scaler": "이유: {gate:은/는} gradient scaler다. upstream gradient에 상수를 곱해 보낸다.",
    "why.function": (
        "이유: {gate:은/는} 함수 게이트다. upstream gradient에 그 입력에서의 도함수 값(local gradient)을 곱한다."
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
        "{grad} = {parts} = {value}: {name:이/가} {count}곳({consumers})에서 쓰이므로 "
        "각 branch의 gradient를 더한다."
    ),
    "inputs_grad.meaning": (
        "각 gradient는 그 입력을 조금 바꿨을 때 최종 출력 {out}에 미치는 영향력이다: "
        "입력이 작은 ε만큼 바뀌면 {out:은/는} 약 gradient × ε만큼 바뀐다."
    ),
    # grading (backcalc check --key): 제출물에 대한 피드백
    "grade.malformed": "제출물을 읽을 수 없다 ({reason}): 모든 답이 0점",
    "grade.missing_problem": "문제 '{problem}'에 대한 답이 없다: 0점",
    "grade.missing_answer": "{quantity}에 대한 답이 없다: 0점",
    "grade.unreadable": "{quantity}의 답을 읽을 수 없다 ({reason}): 0점",
    "grade.shape": "{quantity}: 답의 shape는 {given}인데, 정답의 shape는 {correct:이다/다}",
    "grade.wrong": "{quantity}: 답 {answer:은/는} 정답 {correct:이/가} 아니다",
    "grade.unknown_problem": "문제 {problem:'은/는} answer key에 없다; 그 답은 무시한다",
    "grade.did_you_mean": " ({name:'을/를} 뜻했나?)",
    "grade.not_asked": "문제 '{problem}': {quantity:은/는} 채점하지 않는다; 그 답은 무시한다",
    "mistake.rounding": (
        "{quantity}: 반올림만 다르다: 정답은 {correct:이고/고}, 소수점 {decimals}자리로 반올림하면 {rounded:이다/다}"
    ),
    "mistake.sign": "{quantity}: 부호가 반대다: 정답은 {correct:이다/다}",
    "mistake.swapped": "{quantity}: {other:과/와} 바뀌었다: 두 답이 서로의 gradient이다",
    "mistake.branch": (
        "{quantity}: branch를 더하지 않았다: {node:은/는} 게이트 {count}개에서 쓰이고, {part:은/는} "
        "{consumer}에서 돌아온 부분뿐이다; branch point에서는 gradient를 모두 더한다: {parts}"
    ),
    "mistake.upstream": (
        "{quantity}: upstream gradient를 곱하지 않았다: 답은 local gradient "
        "∂{consumer}/∂{node} = {local:이다/다}; {consumer}에 도착한 upstream gradient {upstream:을/를} 곱해야 한다"
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
    # notes of --symbolic and --exact runs, the spec's training settings
    "api.symbolic_note": "symbolic: {detail}",
    "api.symbolic_stopped": "symbolic: {detail}; 수치 결과는 모두 있지만 수식은 일부만 있다",
    "api.symbolic_differ": "symbolic: {names}에서 수식과 수치 gradient가 다르다",
    "api.exact_note": "exact: {detail}",
    "api.exact_floats": "exact: {detail}; float 결과만 보인다",
    "spec.unknown_update": "{rule:'이라는/라는} update 규칙은 없다; 다음 중 하나를 쓴다: {choices}",
    "spec.lr_decay": "(0, 1] 안에 있어야 하는데 {got:이다/다}",
    # the %backcalc magics
    "magic.unclosed": "magic 줄의 따옴표({quote})가 닫히지 않았다",
    "magic.shortened": "이 배열은 ('...'로) 줄여서 출력되었다: numpy는 큰 배열을 그렇게 출력한다",
    "magic.shortened_hint": "변수 자체를 넘긴다: NAME=@variable",
    "magic.no_variable": "{name}=@{var}: 노트북에 {var:'이라는/라는} 변수가 없다",
    "magic.not_spec": "셀이 network spec(TOML 또는 JSON)이 아니다: {reason}",
    "magic.spec_only": "{command}에는 NAME=@variable 값이 아니라 spec을 준다",
    "magic.exit_status": "backcalc {command:이/가} 종료 코드 {code:으로/로} 멈췄다",
    # --symbolic and --exact: their notes
    "check.note_exact_stopped": "참고: 정확한 산술 — {stopped}; float 결과만 보인다",
    "check.note_exact": "참고: 정확한 산술 — {stopped}",
    "symbolic.too_many_elements": "{name}의 원소가 {size:,}개로 한도 {limit:,}개보다 많다",
    "symbolic.decided_1": "{names:이/가} 주어진 점에서처럼 정해지는 곳에서 성립한다",
    "symbolic.decided": "{names:이/가} 주어진 점에서처럼 정해지는 곳에서 성립한다",
    "symbolic.not_built": (
        "수식을 만들지 않았다: {why}; 수치 gradient는 모두 있다 (gradient check가 "
        "원소마다 유한 차분과 비교한다)"
    ),
    "exact.not_built": "정확한 값을 만들지 않았다: {why}; 수치 gradient는 모두 있다",
    "domains.time_limit": "제한 시간 {seconds}초에서 멈췄다",
    "check.formulas_are": "이 수식들은 {decided}",
    "check.cse_nodes": "노드",
    "check.cse_common": "공통 부분식",
    "check.cse_upstream": "upstream gradient",
    "check.cse_more": "… 나머지 {n:,}개는 --format json에",
    "check.cse_heading": "위 수식들은 다음 정의로 쓰였다 (큰 그래프: 공통 부분식 형태)",
    "check.note_symbolic": "참고: 기호 계산 — {stopped}",
    "check.note_symbolic_work": "참고: 기호 계산 — {stopped}",
    "check.no_formula_for": "; {names}의 수식은 없다",
    # values given to the API, SymPy
    "values.unsupported": "{name}: 지원하지 않는 값이다: {value}",
    "values.array_dtype": "{name}: 숫자여야 하는데 {dtype} 배열이 주어졌다",
    "values.unsupported_type": "{name}: 지원하지 않는 종류({kind})의 값이다",
    "values.not_exact": "{name}: {kind:을/를} 정확한 수로 읽을 수 없다",
    "api.sympy_too_deep": "수식이 SymPy가 다루기에 너무 깊게 중첩되었다",
    "api.result_values": "Result를 받은 backcalc.{function}()에는 값을 주지 않는다: 값은 Result에 들어 있다",
    # network specs: conv layers, the top level
    "spec.layer_keys": "{close} layer 키: {keys}",
    "spec.known_keys": "{close} 쓸 수 있는 키: {keys}",
    "spec.add_loss": 'loss = "..."를 더한다, 다음 중 하나: {choices}',
    "spec.conv_images_shape": "conv layer는 이미지를 받는다: x의 shape가 (N, C, H, W)여야 하는데 {shape:이다/다}",
    "spec.conv_first": "conv layer가 먼저, affine layer보다 앞에 온다",
    "spec.unknown_type": "{type:'이라는/라는} layer 종류는 없다; 다음 중 하나를 쓴다: {choices}",
    "spec.last_affine": "마지막 layer가 score를 낸다: conv layer 뒤에 affine layer로 끝낸다",
    "spec.norm_batch": "{norm:은/는} batch에 대해 정규화한다: x를 행(example)의 리스트로 준다",
    "spec.dropout_scores": "dropout은 hidden layer의 activation 뒤에 온다 (score에는 쓰지 않는다)",
    "spec.not_on_conv": "conv layer에는 {key:'을/를} 쓸 수 없다",
    "spec.conv_activation": "conv layer는 relu나 identity만 받는데 {got:이/가} 주어졌다",
    "spec.conv_needs_w_b": "conv layer에는 filter W (F, C, HH, WW)와 bias b (F,)가 필요하다",
    "spec.conv_w_shape": "filter의 shape가 (F, C, HH, WW)여야 하는데 {got:이다/다}",
    "spec.conv_b_shape": "shape가 ({f},)여야 하는데 (filter마다 하나) {got:이다/다}",
    "spec.conv_needs_images": "conv layer에는 이미지가 필요하다: shape (N, C, H, W)인 x를 준다",
    "spec.conv_channels": "filter는 channel {c}개용인데 입력의 channel은 {got}개다",
    "spec.conv_tile": (
        "크기 {k}, pad {p}, stride {s}인 filter가 크기 {n}인 입력을 딱 나누지 못한다 "
        "({n} + 2*{p} - {k:은/는} {s}의 0 이상 배수여야 한다)"
    ),
    "spec.pool_list": "[ph, pw, stride] (1 이상의 정수)여야 하는데 {got:이/가} 주어졌다",
    "spec.pool_tile": "크기 {k}, stride {s}인 pool이 크기 {n}인 conv 출력을 딱 나누지 못한다",
    "spec.reg_convention": "키가 없다: reg의 규칙(convention)을 정한다",
    "spec.unknown_reg": "{form:'이라는/라는} regularization은 없다; 다음 중 하나를 쓴다: {choices}",
    "spec.unknown_norm": "{norm:'이라는/라는} norm은 없다; 다음 중 하나를 쓴다: {choices}",
    # class grading: the terminal report
    "grade.status.passed": "✓ 통과",
    "grade.status.failed": "✗ 감점",
    "grade.status.malformed": "형식 오류",
    "grade.status.missing": "없음",
    "grade.status.unreadable": "읽을 수 없음",
    "grade.points_of": " ({file}): {max}점 중 {score}점 ",
    "grade.sub_malformed": "형식 오류: {error}; 모든 답이 0점이다",
    "grade.ignored": "무시함: {note}",
    "grade.answer": "답 {answer}, 정답 {correct}",
    "grade.error": ", 오차 {error}",
    "grade.item_points": "; {max}점 중 {points}점",
    "grade.title": "성적 ({path})",
    "grade.student": "학생",
    "grade.total": "합계",
    "grade.status": "상태",
    "grade.mean": "평균",
    "grade.median": "중앙값",
    "grade.summary_1": (
        "제출물 {n}개: 모두 맞음 {passed}개, 감점 {failed}개, 형식 오류 {malformed}개; "
        "평균 {max}점 중 {mean}점"
    ),
    "grade.summary": (
        "제출물 {n}개: 모두 맞음 {passed}개, 감점 {failed}개, 형식 오류 {malformed}개; "
        "평균 {max}점 중 {mean}점"
    ),
    # class grading: the submissions
    "grading.sub_too_large": "파일이 한도 {limit:,}바이트보다 크다",
    "grading.sub_cannot_read": "파일을 읽을 수 없다 ({reason})",
    "grading.sub_not_utf8": "UTF-8 텍스트가 아니다 ({byte}번째 바이트)",
    "grading.sub_empty": "파일이 비어 있다",
    "grading.sub_not_table": "[[problem]] 항목이 있는 테이블이어야 한다",
    "grading.sub_key_only": "키 {key:'은/는} answer key가 정한다; 무시했다",
    "grading.sub_ignored": "{detail}; 무시했다",
    "grading.sub_student": "키 'student': 이름을 문자열로 줘야 한다",
    "grading.sub_no_problems": "문제가 없다: 답은 이름이 있는 [[problem]] 테이블이다",
    "grading.sub_no_name": "{where}에 이름이 없어 그 답은 무시했다 (답에는 문제 이름을 적는다)",
    "grading.sub_problem": "문제 {name}",
    "grading.sub_twice": "{where}에 두 번 답했다",
    "grading.sub_table": "{where}: 키 '{table}': {table} = {{ x = -4 }} 같은 테이블이어야 한다",
    # network specs: inputs, limits
    "model.x_hint": "입력을 준다: x = [...] 또는 행의 리스트",
    "model.y_hint": "target을 준다: y = [...]",
    "spec.too_big": "shape {shape}인 weight 행렬의 원소가 {n:,}개로 한도 {limit:,}개보다 많다",
    "spec.too_big_hint": "BACKCALC_MAX_ARRAY_ELEMENTS로 한도를 올린다",
    "spec.n_inputs": "layer 1의 입력 수를 알 수 없다",
    "spec.n_inputs_hint": "x나 inputs = N, 또는 첫 layer의 weight W를 준다",
    "spec.not_finite_weights": "weight가 유한한 수가 아니다 (학습이 발산했나?); 아무것도 쓰지 않았다",
    "dot.still_written": "DOT 텍스트는 여전히 쓸 수 있다: backcalc grad ... --format dot",
    # pictures, plots, the API
    "dot.too_many_gates": "게이트가 {gates:,}개로 한도 {limit:,}개보다 많다",
    "dot.too_slow": (
        "게이트 {gates:,}개를 배치하는 데 Graphviz가 약 {seconds}초 걸려 한도 {budget}초를 넘는다 "
        "(상자와 라벨 {boxes:,}개)"
    ),
    "dot.too_slow_bends": (
        "게이트 {gates:,}개를 배치하는 데 Graphviz가 약 {seconds}초 걸려 한도 {budget}초를 넘는다 "
        "(상자와 라벨 {boxes:,}개, 여러 열을 가로지르는 선의 꺾임 {bends:,}개)"
    ),
    "dot.too_large": "그림이 너무 커서 그릴 수 없다: {why}",
    "dot.too_large_hint": (
        "DOT 텍스트는 여전히 쓸 수 있다 (-o FILE.dot, 또는 backcalc grad ... --format dot); "
        "아니면 {max_nodes} {gates} 옵션으로 그래도 그린다 (몇 분 걸릴 수 있다)"
    ),
    "dot.no_graphviz": "{fmt:을/를} 그리려면 Graphviz의 'dot' 프로그램이 필요한데 설치되어 있지 않다",
    "dot.no_graphviz_hint": "Graphviz를 설치하거나 ({install}), 언제나 되는 .dot 파일로 쓴다",
    "dot.timeout": "Graphviz의 dot이 {timeout}초보다 오래 걸렸다; 그래프가 너무 커서 그릴 수 없다",
    "dot.timeout_hint": "대신 DOT 텍스트를 쓴다 (-o FILE.dot); 이것은 언제나 된다",
    "dot.could_not_run": "Graphviz의 dot을 실행할 수 없다 ({reason})",
    "dot.failed": "Graphviz의 dot이 실패했다 (종료 코드 {code}): {detail}",
    "dot.format": "'{path}'에서 그림 형식을 알 수 없다",
    "dot.format_hint": "파일 이름을 .dot, .svg, .png, .pdf 중 하나로 끝낸다",
    "plot.needs_matplotlib": "{plot} 옵션에는 matplotlib이 필요하다 (선택 설치)",
    "plot.needs_matplotlib_hint": (
        'pip install matplotlib로 설치한다 (backcalc 저장소에서는 선택 extra: pip install ".[plot]")'
    ),
    "plot.format": "'{path}'에서 그림 형식을 알 수 없다",
    "plot.format_hint": "파일 이름을 .png, .svg, .pdf 중 하나로 끝낸다",
    "api.in_place_mapping": "{in_place} 옵션에는 mapping이 아니라 spec 파일이 필요하다",
    "api.smaller_lr": "더 작은 {lr} 값을 써 본다",
    "domains.no_formula": "SymPy로 {node} = {text}의 수식을 만들 수 없다",
    # network specs: per-layer details
    "spec.not_table": "키의 테이블(loss, layers, ...)이어야 하는데 {kind:이/가} 주어졌다",
    "spec.layers_hint": "layer마다 [[layers]] 테이블을 하나씩, 순서대로 더한다",
    "spec.layers_list": "layer 테이블의 리스트([[layers]])가 비어 있지 않아야 한다",
    "spec.x_shape": "example 하나(리스트)나 batch(리스트의 리스트)여야 하는데 shape가 {shape:이다/다}",
    "spec.keep_probability": "남길 확률은 (0, 1] 안에 있어야 하는데 {got:이다/다}",
    "spec.norm_shape": "shape가 ({out},)여야 하는데 (출력 neuron마다 하나), {got:이다/다}",
    "spec.one_of": "다음 중 하나: {choices}",
    "spec.unknown_init": "{init:'이라는/라는} 초기화는 없다; 다음 중 하나를 쓴다: {choices}",
    "spec.no_weights": "weight W와 bias b를 주거나, seed로 초기화하도록 size(neuron 수)를 준다",
    "spec.both_w_b": "키가 없다: weight를 직접 주려면 W와 b가 둘 다 있어야 한다",
    "spec.both_w_b_hint": "아니면 W와 b를 빼고 size = N을 주면 seed로 초기화한다",
    "spec.w_pieces": "행 = 출력 neuron, 열 = 입력인 행렬(piece) {k}개",
    "spec.w_matrix": "출력 neuron마다 한 행, 입력마다 한 열인 행렬 (w_jk)",
    "spec.w_expected": "{what:이어야/여야} 하는데 shape가 {got:이다/다}",
    "spec.maxout_pieces": "k = {k}인 maxout에는 piece가 {k}개 필요한데 {got}개다",
    "spec.inputs_word": "입력",
    "spec.outputs_of": "layer {layer}의 출력",
    "spec.columns": "열이 {cols}개인데 {source:은/는} {n}개다: shape가 {want:이어야/여야} 한다",
    "spec.b_shape": "shape가 {want:이어야/여야} 하는데 (출력 neuron마다 bias 하나), {got:이다/다}",
    "spec.b_shape_pieces": "shape가 {want:이어야/여야} 하는데 (piece마다, 출력 neuron마다 bias 하나), {got:이다/다}",
    "spec.size_rows": "{size:이다/다}, 그런데 W의 행(출력 neuron)은 {rows}개다",
    "spec.y_shape": "target은 리스트나 리스트의 리스트여야 하는데 shape가 {shape:이다/다}",
    "spec.labels_count": "example {n}개에 class label이 {labels}개다",
    "spec.class_label": "class label {label:은/는} 0부터 {last}까지의 정수가 아니다 (마지막 layer의 출력이 {outputs}개다)",
    "spec.one_hot": "one-hot 행에는 1이 하나, 나머지는 0이어야 한다 ({loss})",
    "spec.probabilities": "target의 각 행은 one-hot이거나 합이 1인 확률이어야 한다",
    "spec.targets_shape": "target의 shape가 {want:이어야/여야} 하는데 (출력 neuron마다 하나), {got:이다/다}",
    "spec.l2_or_reg": "l2 = ...와 reg = ... (regularization = ...와 함께) 중 하나만 준다",
    "spec.reg_missing": "키가 없다: regularization의 세기",
    "spec.reg_hint": "예: reg = 0.1",
    "spec.dropout_seed": "'dropout_seed'는 dropout에 딸린 설정이다: dropout = p를 더한다",
    "spec.norm_maxout": "maxout layer에는 norm을 쓸 수 없다",
    # answer files: their problems
    "answers.problem": "문제 {index}",
    "answers.problem_named": "문제 {index} ({name})",
    "answers.unknown_key_close": "{key:'이라는/라는} 키는 없다; {close:'을/를} 뜻했나?",
    "answers.unknown_key": "{key:'이라는/라는} 키는 없다; 쓸 수 있는 키: {known}",
    "answers.tolerance": "키 '{where}': 음이 아닌 수여야 하는데 {got:이/가} 주어졌다",
    "answers.number_table": "키 '{where}': 숫자, \"1/3\" 같은 문자열, 또는 리스트여야 하는데 테이블이 주어졌다",
    "answers.at_key": "키 '{where}': {detail}",
    "answers.in_file": "{path}: {detail}",
    "answers.top_key_hint": "문제는 [[problem]] 테이블이다; examples/homework.toml을 참고한다",
    "answers.not_table": "테이블([[problem]])이어야 한다",
    "answers.no_expression": "키 'expression'이 없다",
    "answers.expression_text": "키 'expression': 식을 문자열로 줘야 하는데 {got:이/가} 주어졌다",
    "answers.values_table": "키 'values': values = {{ x = -2, y = 5 }} 같은 테이블이어야 한다",
    "answers.gradients_table": "키 'gradients': gradients = {{ x = -4, y = -4 }} 같은 테이블이어야 한다",
    "answers.nothing": "검사할 것이 없다: 'value'나 'gradients'를 준다",
    "answers.expand": "키 'expand': true나 false여야 하는데 {got:이/가} 주어졌다",
    "answers.at_location": "{detail} (식의 {where})",
    "answers.expression_or_values": "키 'expression' 또는 'values': {detail}",
    "answers.not_input": "키 'gradients.{name}': {name:'은/는} 식의 입력이 아니다 (입력: {inputs})",
    # the answer file's self-check (backcalc check FILE)
    "check.answers_in": "{file}의 답",
    "check.problem": "문제",
    "check.malformed": "형식 오류",
    "check.one_problem": "문제 {n}개",
    "check.n_problems": "문제 {n}개",
    "check.summary": "{problems}: {passed}개 통과",
    "check.summary_failed": ", {n}개 틀림: {names}",
    "check.summary_none_failed": ", 0개 틀림",
    "check.summary_malformed": ", {n}개 형식 오류: {names}",
    # the network table (backcalc net)
    "net.layer": "layer {n}",
    "net.then_pool": ", 그다음 maxpool{pool}",
    "net.channel_f": "(channel f)",
    "net.filter_f": "(filter f)",
    "net.row_j": "(j행)",
    "net.new": "새 값",
    "net.step_title": "gradient descent step: w ← w − lr · ∂L/∂w, lr = {lr}",
    "net.col.parameter": "parameter",
    "net.col.shape": "shape",
    "net.col.old": "이전 값",
    "net.mean_over": "{loss}, example {n}개의 평균",
    "net.loss_line": "loss L = data loss + regularization = {data} + {reg} = {loss}",
    "net.reg_half": "   ({what}; reg = {l2}: regularization = 0.5 · reg · Σ sum(W²), bias는 regularization하지 않는다)",
    "net.reg_l2": "   ({what}; l2 = {l2}: regularization = l2 · Σ sum(W²), bias는 regularization하지 않는다)",
    "net.head": "{head}: {sizes} network, loss {loss}",
    "net.batch": "example {n}개짜리 batch: z, a, δ는 example마다 값이 하나씩이다",
    "net.before_after": "step 전의 loss {before}, step 후의 loss {after}",
    "net.graph": "그래프: {text}",
    # notebook setup lines
    "setup.end_of_setup": "setup의 끝",
    "setup.end_of_line": "줄의 끝",
    "setup.high_low": "high({hi})가 low({lo})보다 커야 한다",
    "setup.scale": "scale은 0 이상이어야 하는데 {got:이다/다}",
    "setup.shapes_broadcast": "shape {a:과/와} {b:은/는} broadcast되지 않는다",
    "setup.method_name": "'.' 뒤에 method 이름이 와야 하는데 {found:이/가} 있다",
    "setup.name_after_dot": "'.' 뒤에 이름이 와야 하는데 {found:이/가} 있다",
    "setup.result_not_finite": "{fn}: 결과가 유한하지 않다 (float64에는 너무 크다)",
    "setup.method_not_accepted": "'.{name}' method는 받지 않는다 (받는 것: {accepted})",
    "setup.comma": "{left}, {right}",
    "setup.whole": "{name:은/는} 정수여야 하는데 {got:이/가} 주어졌다",
    "setup.at_least": "{name:은/는} {minimum} 이상이어야 하는데 {got:이다/다}",
    "setup.number": "{name:은/는} 숫자여야 하는데 {got:이/가} 주어졌다",
    "setup.dims": "{name:은/는} 0 이상의 정수여야 하는데 {got:이/가} 주어졌다",
    "setup.dimensions": "차원",
    "setup.too_many_dims": "차원이 {n}개다; 최대 {limit}개까지 된다",
    "setup.too_many_elements": "원소 {size:,}개는 한도 {limit:,}개보다 많다 (BACKCALC_MAX_ARRAY_ELEMENTS로 한도를 올린다)",
    "setup.the_text": "문자열 {text}",
    "setup.a_tuple": "튜플 ({items})",
    "setup.a_list": "리스트",
    "setup.a_dict": "딕셔너리",
    "setup.an_array": "shape {shape}인 배열",
    "setup.axis": "axis는 {lo}부터 {hi}까지의 정수여야 하는데 {got:이/가} 주어졌다",
    "setup.keepdims": "keepdims는 True나 False여야 하는데 {got:이/가} 주어졌다",
    "setup.reshape": "shape {shape}인 배열을 {to:으로/로} reshape할 수 없다",
    "setup.reshape_sizes": "shape {shape}인 배열(원소 {size}개)을 {to}(원소 {to_size}개)로 reshape할 수 없다",
    "setup.too_deep": "{limit}단계보다 깊게 중첩되었다",
    "setup.too_deep_hint": "BACKCALC_MAX_NESTING으로 한도를 올린다",
    "setup.broadcast": "'{op}': shape {a:과/와} {b:은/는} broadcast되지 않는다",
    "setup.op_too_big": "'{op}'의 결과는 원소가 {size:,}개로 한도 {limit:,}개보다 많다",
    "setup.op_needs": "'{op}'에는 숫자나 배열이 필요한데 {got:이/가} 주어졌다",
    "setup.op_needs_both": "'{op}'에는 숫자나 배열이 필요한데 {got:이/가} 주어졌다",
    "setup.matmul": "'@'로 shape {a:과/와} {b:을/를} 곱할 수 없다",
    "setup.op_not_finite": "'{op}'의 결과가 유한하지 않다 (float64에는 너무 크거나 0/0)",
    "setup.no_keywords": "{fn}: keyword 인자를 받지 않는다 ({name}=를 주었다); 차원만 준다, 예: {fn}(3, 4)",
    "setup.unknown_keyword": "{fn}: {name:'이라는/라는} keyword 인자는 없다 (받는 인자: {accepted})",
    "setup.positional_after": "{fn}: keyword 인자 뒤에 위치 인자가 왔다",
    "setup.star": "{fn}: '*'에는 튜플이나 리스트가 필요한데 {got:이/가} 주어졌다",
    "setup.too_many_positional": "{fn}: 위치 인자는 {most}개까지인데 {got}개를 주었다",
    "setup.cannot_compute": "{fn}: 계산할 수 없다 ({reason})",
    "setup.nested_list": "숫자의 (중첩) 리스트여야 하는데 {got:이/가} 주어졌다",
    "setup.numbers_or_array": "숫자, 숫자의 튜플, 또는 배열이어야 하는데 {got:이/가} 주어졌다",
    "setup.number_or_array": "{name:은/는} 숫자나 배열이어야 하는데 {got:이/가} 주어졌다",
    "setup.new_shape": "새 shape는 정수여야 하는데 (하나는 -1이어도 된다) {got:이/가} 주어졌다",
    "setup.expected_array": "배열이어야 하는데 {got:이/가} 주어졌다",
    "setup.not_callable": "{what:은/는} 부를 수 없다",
    "setup.no_methods": "'.{name}': {what}에는 여기서 쓸 수 있는 method가 없다",
    "setup.line_kind": "한 줄은 값을 넣거나(x = ...) 함수를 불러야 한다(np.random.seed(231))",
    "setup.numpy_as": "numpy는 np라는 이름으로 import한다 (import numpy as np)",
    "setup.write_import": "'import numpy as np'라고 쓴다: setup 줄에서는 numpy를 np라고 부른다",
    "setup.only_numpy": "'import numpy as np'만 받는다; 셀의 다른 import는 뺀다",
    "setup.either": "{a:이나/나} {b}",
    "setup.at": "setup {line}행 {column}열: {detail}",
    "setup.in_call": "{fn}: {detail}",
    "setup.unexpected_char": "예상하지 못한 문자 {char}",
    "setup.closes_nothing": "{token:'이/가} 닫을 괄호가 없다",
    "setup.underscore": "'_'로 시작하는 이름은 받지 않는다 ({name})",
    "setup.never_closed": "{token:'이/가} 닫히지 않았다",
    "setup.expected": "{what:이/가} 와야 하는데 {found:이/가} 있다",
    "setup.expected_end": "줄이 끝나야 하는데 {found:이/가} 있다",
    "setup.not_part": "{token:'은/는} backcalc가 읽는 setup 줄에 없다",
    "setup.subset": "받는 setup 줄은 docs/cs231n-setup.md에 있다",
    "setup.not_accepted": "{name:'은/는} 받지 않는다",
    "setup.functions": "받는 함수: {names}",
    "setup.not_function": "{name:'은/는} 함수가 아니다; 받는 함수: {names}",
    "setup.matmul_arrays": "'@'에는 배열이 필요하다",
    "setup.division_by_zero": "0으로 나눌 수 없다",
    "setup.result_too_large": "결과가 float64로 나타내기에 너무 크다",
    "setup.number_too_long": "수가 너무 길다",
    "setup.number_too_large": "수가 float64로 나타내기에 너무 크다",
    "setup.must_call": "{name:은/는} 불러야 한다: {name}(...)",
    "setup.none_yet": "아직 없음",
    "setup.not_defined": "{name:'이/가} 정의되지 않았다 (지금까지 정의된 것: {known})",
    "setup.expected_value": "값이 와야 하는데 {found:이/가} 있다",
    "setup.unseeded": (
        "setup {line}행: np.random.seed(...) 전에 난수를 뽑았다: 실행할 때마다 수가 달라진다 "
        "(노트북은 먼저 seed를 정한다, 예: np.random.seed(231))"
    ),
    "setup.too_long": "setup이 한도 {limit:,}자보다 길다",
    "setup.cannot_read": "setup 파일 {path:을/를} 읽을 수 없다: {reason}",
    "setup.too_large": "{where}의 setup이 한도 {limit:,}바이트보다 크다",
    "setup.not_utf8": "{where}의 setup이 UTF-8 텍스트가 아니다 ({byte}번째 바이트)",
    "setup.not_finite": "{name:은/는} 유한하지 않다 (inf 또는 nan)",
    "setup.unpack_one": "왼쪽에 이름이 {names}개인데 오른쪽 값은 하나다",
    "setup.unpack": "왼쪽에 이름이 {names}개인데 오른쪽 값은 {values}개다",
    "setup.not_assignable": "'{token}'에는 값을 넣을 수 없다",
    "setup.missing_argument": "{fn}: 인자 {name:이/가} 없다",
    "setup.keyword_twice": "{fn}: {name:이/가} 두 번 주어졌다",
    # files and training data
    "files.input_spec": "입력 spec",
    "files.refuse": "{what} {source}에 덮어쓰지 않는다",
    "files.refuse_hint": "{output} 옵션으로 다른 파일을 주거나, 바꾸려면 {in_place} 옵션을 더한다",
    "files.no_directory": "{path}에 쓸 수 없다: 디렉터리 {directory:이/가} 없다",
    "files.is_directory": "{path}에 쓸 수 없다: 디렉터리다",
    "files.cannot_write": "{path}에 쓸 수 없다: {reason}",
    "data.csv_only": "{path}: {target}, {features} 옵션은 CSV 파일에만 쓴다",
    "data.no_ending": "(확장자 없음)",
    "data.unknown_kind": "{data} {path}: 알 수 없는 종류의 파일이다 ('{ext}')",
    "data.unknown_kind_hint": ".csv 또는 .npz 파일을 준다",
    "data.column": "feature 열이 {n}개",
    "data.columns": "feature 열이 {n}개",
    "data.input": "입력 {n}개",
    "data.inputs": "입력 {n}개",
    "data.n_features": "{path}: {columns}인데 ({names}), network는 {inputs:을/를} 받는다",
    "data.n_features_hint": "{features} a,b로 feature 열을 고르거나 spec을 고친다",
    "data.cannot_read": "{data} {path}: 파일을 읽을 수 없다 ({reason})",
    "data.empty": "{path}: 파일이 비어 있다; 열 이름을 적은 헤더 행이 있어야 한다",
    "data.unnamed": "{path}: 1행: 헤더의 {column}번째 열에 이름이 없다",
    "data.twice": "{path}: 1행: 열 이름 {name:'이/가} 두 번 나온다",
    "data.no_header": (
        "{path}: 1행이 숫자다 ({first}, ...); 첫 행은 열 이름을 적은 헤더여야 한다, 예: x1,x2,y"
    ),
    "data.no_column": "{path}: 이름이 {names}인 열이 없다; 헤더의 열: {header}",
    "data.no_target": (
        "{path}: target 열이 없다: 헤더({header})에 y, y1, y2 ..., target, label이라는 열이 없다"
    ),
    "data.no_target_hint": "{target} NAME[,NAME]으로 target 열의 이름을 준다",
    "data.no_features": "{path}: target({targets})을 빼면 feature 열이 남지 않는다",
    "data.both": "{path}: {names:은/는} feature이면서 target일 수 없다",
    "data.value": "값이 {n}개",
    "data.values": "값이 {n}개",
    "data.row_length": "{path}: {line}행: {values}인데 헤더의 열은 {columns}개다",
    "data.too_many_rows": "{path}: 행이 {limit:,}개보다 많다",
    "data.bad_csv": "{path}: {line}행: 올바른 CSV가 아니다 ({reason})",
    "data.not_utf8": "{path}: UTF-8 텍스트가 아니다",
    "data.no_rows": "{path}: 헤더 아래에 데이터 행이 없다",
    "data.label": (
        "{path}: 데이터 {row}행, 열 '{column}': class label {label:은/는} 0부터 {last}까지의 정수가 아니다 "
        "(마지막 layer의 출력이 {outputs}개다)"
    ),
    "data.missing_value": "{path}: {line}행, 열 '{column}': 값이 없다",
    "data.not_number": "{path}: {line}행, 열 '{column}': {text:은/는} 숫자가 아니다",
    "data.not_finite": "{path}: {line}행, 열 '{column}': {text:은/는} 유한한 수가 아니다",
    "data.bad_npz": "{data} {path}: 읽을 수 있는 .npz 파일이 아니다 ({reason})",
    "data.nothing": "없음",
    "data.no_array": "{path}: 이름이 {name}(또는 {upper})인 배열이 없다; 파일에 든 배열: {names}",
    "data.cannot_read_arrays": "{path}: 배열을 읽을 수 없다 ({reason})",
    "data.not_numbers": "{path}: x와 y는 숫자 배열이어야 한다",
    "data.not_matrix": "{path}: {name}: 행렬(행 = example)이어야 하는데 shape가 {shape:이다/다}",
    "data.rows_differ": "{path}: {x}의 행은 {x_rows}개인데 {y}의 행은 {y_rows}개다",
    "data.nonfinite": "{path}: 배열에 inf나 nan이 있다",
    # the command line, after the merges
    "quiz.stdin_expression": "퀴즈는 답을 표준 입력에서 읽으므로 식을 표준 입력에서 읽을 수 없다",
    "quiz.stdin_expression_hint": '식을 인자("(x+y)*z")로 주거나 파일(@FILE)에서 읽는다',
    "cli.unknown_notation": "{notation:'이라는/라는} 표기법은 없다",
    "cli.use_one_of": "다음 중 하나를 쓴다: {choices}",
    "cli.setup_not_key": "--setup은 답 파일 하나의 자체 검사에만 쓴다 (--key와는 쓸 수 없다)",
    "cli.output_extension": "확장자로 {path}의 형식을 알 수 없다: 파일 이름을 다음 중 하나로 끝낸다: {names}",
    "cli.setup_stdin_twice": "--setup과 식(또는 답 파일)을 둘 다 표준 입력(-)에서 읽을 수는 없다",
    "result.nonfinite_note": 'JSON에서 유한하지 않은 수는 문자열 "Infinity", "-Infinity", "NaN"으로 쓴다',
    # notes under the table, --upstream
    "result.tie": (
        "{nodes}에서 값이 같다(tie): '{rule}' 규칙을 적용했다 ({why}); 다른 규칙도 고를 수 있다: split, all, first"
    ),
    "result.kink": ("{nodes}에서 kink: 입력이 정확히 0이라 relu'(0) = 0, abs'(0) = 0을 썼다 (PyTorch처럼)"),
    "result.shadowed": "여기서 {name:'은/는} 함수 {name}()와 이름이 같은 변수다; {name}(...)로 쓰면 여전히 함수를 부른다",
    "result.ones": (
        "출력 {name}의 shape가 {shape:이라/라} 스칼라가 아니다: 역방향 계산을 1로 채운 upstream에서 "
        "시작하므로, gradient는 sum({name})의 gradient다"
    ),
    "result.array_note": (
        "배열 게이트의 'local' 칸은 upstream g에서 각 downstream을 만드는 방법을 보인다 "
        "(vector-Jacobian product; Jacobian 자체는 만들지 않는다. Jacobian을 명시적으로 보라고 하면 "
        "작은 것만 보인다); broadcast된 입력으로 가는 gradient는 broadcast된 축을 따라 더한다"
    ),
    "upstream.not_given": "{setting}에 준 '{name}'의 값이 없다 (주어진 값: {have})",
    "upstream.not_given_hint": "setup 줄에서 정의하거나 {name}=[...]로 준다",
    "upstream.combined": (
        "{which}, {setting} 두 옵션은 아직 함께 쓸 수 없다: 수식과 정확한 수는 1로 채운 upstream에서 유도한다"
    ),
    "upstream.combined_hint": "대신 {setting} 옵션을 수치 검사({check})와 함께 쓴다",
    "upstream.is_input": (
        "{setting}에 준 {name:'은/는} 식의 입력이다; "
        "upstream gradient는 입력이 아니라 따로 주는 값이다 (cs231n의 dout)"
    ),
    "upstream.shape": (
        "upstream gradient({setting})의 shape는 {got:이고/고} 출력 {name}의 shape는 {want:이다/다}; "
        "upstream은 출력과 shape가 같아야 한다"
    ),
    "upstream.shape_hint": "cs231n은 dout = np.random.randn(*out.shape)로 만든다",
    "upstream.note": (
        "역방향 계산은 출력 {output}에 주어진 upstream gradient {name}(shape {shape})에서 시작한다: "
        "gradient는 sum({output} * {name})의 gradient이고, cs231n의 eval_numerical_gradient_array가 검사하는 값이다"
    ),
    # update rules and backcalc step
    "optim.unknown_rule": "{name:'이라는/라는} update 규칙은 없다; 다음 중 하나를 고른다: {rules}",
    "optim.unknown_setting": "{rule}: {key:'이라는/라는} 설정은 없다 (설정: {known})",
    "optim.finite": "{rule}: {key:은/는} 유한한 수여야 하는데 {got:이다/다}",
    "optim.lr_positive": "{rule}: learning_rate는 양수여야 하는데 {got:이다/다}",
    "optim.t_whole": "{rule}: t(step 수)는 정수여야 하는데 {got:이다/다}",
    "optim.t_negative": "{rule}: t(step 수)는 0 이상이어야 하는데 {got:이다/다}",
    "optim.state_shape": "{rule}: {key}의 shape는 {shape:이고/고} w의 shape는 {w:이다/다}; 상태는 w와 shape가 같아야 한다",
    "optim.lr_decay": "{setting} 값은 (0, 1] 안에 있어야 하는데 {got:이다/다}",
    "optim.none": "없음",
    "optim.missing": "step {rule}: '{name}'의 값이 없다 (주어진 값: {have})",
    "optim.missing_hint": "setup 줄에서 {w:과/와} {dw:을/를} 정의한다, 예: {w} = np.linspace(-0.4, 0.6, num=20).reshape(4, 5)",
    "optim.dw_shape": "step {rule}: {dw}의 shape는 {dw_shape:이고/고} {w}의 shape는 {w_shape:이다/다}; 둘이 같아야 한다",
    "optim.overflow": "step {rule}: 다음 w가 유한하지 않다 (overflow); 설정을 확인한다",
    "step.unknown_name": "step {rule}: {name:'은/는} {w}도, {dw}도, {rule}의 설정도 아니다 (설정: {keys})",
    "plot.no_plot": "(그래프 없음: loss가 유한한 수가 아니다)",
    "plot.linear_title": "epoch마다의 loss (선형 눈금)",
    "plot.log_title": "epoch마다의 loss (로그 눈금)",
    # the training report
    "train.report.head": (
        "{spec:을/를} {data:으로/로} 학습했다: {per_epoch}짜리 {epochs} ({kind} gradient descent, batch {batch}, "
        "lr {lr}{shuffled}), {seconds}초 동안 step {steps}번"
    ),
    "train.report.epoch_1": "epoch {n}번",
    "train.report.epochs": "epoch {n}번",
    "train.report.step_1": "step {n}번",
    "train.report.steps": "step {n}번",
    "train.report.shuffled": ", 행을 섞음",
    "train.kind.per_example": "예제마다",
    "train.kind.batch": "batch",
    "train.kind.mini_batch": "mini-batch",
    "train.report.loss": (
        "loss: epoch 1에서 {first}, epoch {last_epoch}에서 {last}; 최종 weight로 전체 데이터에서 {final}"
    ),
    "train.report.accuracy": "정확도: epoch 1에서 {first}, epoch {last_epoch}에서 {last}",
    "train.report.accuracy_final": "; 최종 weight로 전체 데이터에서 {final}",
    "train.data.spec": "spec의 x와 y ({rows}행)",
    "train.data.file": "{path} ({rows}행; feature {features}; target {targets})",
    "train.no_data": "{spec}: 학습할 x와 y가 없다",
    "train.no_data_hint": "{data} FILE을 주거나 spec에 x와 y를 넣는다",
    "train.epochs_min": "{epochs} 값은 1 이상이어야 하는데 {got:이다/다}",
    "train.lr_positive": "{lr} 값은 양수여야 하는데 {got:이다/다}",
    # the ops' domains and the layers' shapes
    "engine.domain": "{detail} ({text}에서)",
    "engine.of_shape": "shape {shape}인 {who}",
    "engine.a_scalar": "스칼라 {who}",
    "engine.and": "{left}, {right}",
    "ops.positive": "{op:은/는} 양수만 받는데 {got:이/가} 들어왔다",
    "ops.non_negative": "{op:은/는} 음이 아닌 수만 받는데 {got:이/가} 들어왔다",
    "ops.division_by_zero": "0으로 나눴다: 분모가 0이다",
    "ops.zero_negative_power": "0의 음수 거듭제곱({power})은 0으로 나누는 것이다",
    "ops.negative_base": "음수 밑({base})의 정수가 아닌 거듭제곱({power})은 실수가 아니다",
    "ops.zero_negative_power_array": "0의 음수 거듭제곱은 0으로 나누는 것이다",
    "ops.negative_base_array": "음수 밑의 정수가 아닌 거듭제곱은 실수가 아니다",
    "ops.at_index": "인덱스 {index}의 {value}",
    "layers.a_scalar": "스칼라",
    "layers.scalar_shape": "() (스칼라)",
    "layers.feature": "feature(열)",
    "layers.channel": "channel",
    "layers.height": "높이",
    "layers.width": "너비",
    "layers.affine_x": "affine의 x는 shape가 (N, d1, ...)이고 행마다 sample 하나여야 하는데, x의 shape가 {got:이다/다}",
    "layers.affine_w": "affine의 w는 shape가 (D, M)이어야 하는데, w의 shape가 {got:이다/다}",
    "layers.affine_rows": "affine은 shape {x}인 x를 ({n}, {d})로 펼치므로 w의 행이 {d}개여야 하는데, w의 shape가 {w:이다/다}",
    "layers.affine_b": "affine의 b는 shape가 ({m},)여야 하는데 (w {w}의 열마다 하나), {got:이다/다}",
    "layers.scores": "{op:은/는} scores의 shape가 (N, C)여야 하는데, scores의 shape가 {got:이다/다}",
    "layers.labels_shape": "{op:은/는} scores {scores}의 행마다 정수 label이 하나씩, 곧 shape ({n},)인 labels가 필요한데, {got:이다/다}",
    "layers.labels_whole": "{op}: labels는 정수(class 번호)여야 하는데, 인덱스 {index}에 {got:이/가} 있다",
    "layers.label_range": (
        "{op}: 인덱스 {index}의 label {got:이/가} 범위를 벗어났다: scores의 class가 {classes}개이므로 "
        "label은 0부터 {last}까지다"
    ),
    "layers.norm_x": "{op:은/는} x의 shape가 {want:이어야/여야} 하는데, x의 shape가 {got:이다/다}",
    "layers.norm_param": "{op:은/는} x {x}의 {over}마다 하나씩, shape ({k},)인 {label:이/가} 필요한데, {label}의 shape가 {got:이다/다}",
    "layers.dropout_p": "dropout의 p는 unit을 남길 확률이므로 (0, 1] 안에 있어야 하는데, {got:이다/다}",
    "layers.dropout_seed": "dropout의 seed는 0부터 2**32 - 1까지의 정수여야 하는데, {got:이다/다}",
    "layers.conv_x": "conv의 x는 shape가 (N, C, H, W)여야 하는데, x의 shape가 {got:이다/다}",
    "layers.conv_w": "conv의 w는 shape가 (F, C, HH, WW)여야 하는데, w의 shape가 {got:이다/다}",
    "layers.conv_channels": "conv: x {x}의 channel은 {c}개인데 w {w:은/는} {want}개를 기대한다",
    "layers.conv_b": "conv의 b는 w {w}의 filter마다 하나씩, shape가 ({f},)여야 하는데, {got:이다/다}",
    "layers.conv_written": "conv의 stride와 pad는 식에 숫자로 써야 한다",
    "layers.too_big": (
        "{what}에 원소 {n:,}개짜리 배열이 필요해 한도 {limit:,}개를 넘는다 "
        "(BACKCALC_MAX_ARRAY_ELEMENTS로 한도를 올린다)"
    ),
    "layers.conv_padded": "conv의 zero-padding한 입력",
    "layers.conv_output": "conv의 출력",
    "layers.conv_windows": "conv의 window gradient",
    "layers.pool_windows": "maxpool의 window",
    "layers.conv_stride": "conv의 stride는 1 이상의 정수여야 하는데, {got:이다/다}",
    "layers.conv_pad": "conv의 pad는 0 이상의 정수여야 하는데, {got:이다/다}",
    "layers.conv_tile": (
        "conv: filter {axis} {k:이/가} pad {p}, stride {s:으로/로} 입력 {axis} {n:을/를} 딱 나누지 못한다 "
        "({n} + 2*{p} - {k} = {span:이/가} {s}의 0 이상 배수여야 한다; x {x}, w {w})"
    ),
    "layers.pool_x": "maxpool의 x는 shape가 (N, C, H, W)여야 하는데, x의 shape가 {got:이다/다}",
    "layers.pool_written": "maxpool의 ph, pw, stride는 식에 숫자로 써야 한다",
    "layers.pool_whole": "maxpool의 {name:은/는} 1 이상의 정수여야 하는데, {got:이다/다}",
    "layers.pool_tile": (
        "maxpool: {axis} {k}, stride {s}인 pool이 입력 {axis} {n:을/를} 딱 나누지 못한다 "
        "({n} - {k:이/가} {s}의 0 이상 배수여야 한다; x {x})"
    ),
    "layers.reshape_sizes": "reshape의 크기는 1 이상의 정수여야 하는데 (-1은 하나까지), {got:이다/다}",
    "layers.reshape_one": "reshape는 크기 하나(-1)만 추론할 수 있다",
    "layers.reshape": "shape {shape}인 배열(원소 {size}개)을 {to:으로/로} reshape할 수 없다",
    # 표시, 위치
    "label.error": "오류",
    "label.hint": "힌트",
    "label.warning": "경고",
    "where.column": "{column}번째 열",
    "where.line_column": "{line}번째 줄 {column}번째 열",
    # 명령줄: 보고와 오류
    "cli.interrupted": "중단됨",
    "cli.out_of_memory": "메모리가 부족하다: 이 컴퓨터에서 다루기에는 입력이 너무 크다",
    "cli.too_deep": "입력이 너무 깊게 중첩되어 있다",
    "cli.internal": (
        "내부 오류 ({kind}: {detail}): backcalc의 버그이다. 실행한 명령과 함께 알려 주기 바란다"
    ),
    "cli.no_graphviz_page": (
        "Graphviz의 dot이 설치되어 있지 않아 페이지에 그림이 없다 (Debian/Ubuntu: apt-get install graphviz)"
    ),
    "cli.read_expression": "{where}에서 식을 읽을 수 없다: {reason}",
    "cli.stdin": "표준 입력",
    "cli.not_utf8": "{where}의 식이 UTF-8 텍스트가 아니다 ({byte}번째 바이트)",
    "cli.wrt_empty": "--wrt에는 이름이 하나 이상 있어야 한다. 예: --wrt x,y",
    "cli.spec_extension": "spec을 {output}에 쓸 수 없다: 파일 이름을 .toml이나 .json으로 끝내야 한다",
    "cli.format_not_written": "{command:은/는} {formats} 형식만 쓴다. {format:은/는} 쓸 수 없다",
    "cli.wrote": "{path:을/를} 썼다",
    "cli.wrote_results": "{path} 아래에 results.json 파일 {count}개를 썼다",
    "cli.expect_item": "--expect: {detail}",
    "cli.expect_hint": "--expect x=-4 (입력의 gradient) 또는 --expect f=-12 (출력 값)처럼 쓴다",
    "cli.expect_twice": "--expect {name}=...{name:이/가} 두 번 주어졌다",
    "cli.key_only": "{flags:은/는} answer key로 채점할 때만 쓴다",
    "cli.key_only_hint": "backcalc check --key KEY.toml SUBMISSION...",
    "cli.one_answer_file": "check는 답 파일 하나를 받는데, {count}개가 주어졌다",
    "cli.one_answer_file_hint": (
        "제출물 여러 개를 채점하려면 answer key를 준다: backcalc check --key KEY.toml FILES..."
    ),
    "cli.self_check_formats": "답 파일의 자체 검사는 table이나 json으로 쓴다. {format:은/는} 쓸 수 없다",
    "cli.self_check_formats_hint": "다른 형식은 answer key로 제출물을 채점할 때 쓴다: --key KEY.toml",
    "cli.stdin_too_large": "표준 입력의 답 파일이 {limit:,}바이트보다 크다",
    "cli.malformed_item": "{file}: {label}: {detail}",
    "cli.stdin_once": "표준 입력(-)은 한 번만 읽을 수 있다",
    "cli.no_submissions": "{files}에서 제출물을 찾지 못했다",
    "cli.no_submissions_hint": "제출물은 *.toml 또는 *.json 파일이다",
    "cli.malformed_submission": "{file}: 제출물의 형식이 잘못되었다: {detail}",
    "cli.mkdir": "디렉터리 {path:을/를} 만들 수 없다: {reason}",
    "cli.one_results_json": "-o {output}: results.json 하나에는 제출물 하나만 들어가는데, 제출물이 여러 개다",
    "cli.one_results_json_hint": "디렉터리를 준다: -o results/는 results/STUDENT/results.json을 쓴다",
    "cli.diverged": "{detail}; 아무 파일도 쓰지 않았다",
    "cli.diverged_hint": "더 작은 --lr (또는 더 적은 epoch)로 해 본다",
    "cli.train_interrupted": "{steps}번째 step에서 중단했다 (epoch {epoch}/{epochs})",
    "cli.train_interrupted_saved": (
        "{steps}번째 step에서 중단했다 (epoch {epoch}/{epochs}); 학습된 네트워크는 저장했다"
    ),
    "cli.progress_epoch": "epoch",
    "cli.progress_loss": "loss",
    "cli.progress_elapsed": "경과",
    "cli.progress_left": "남음",
    # 사용법 오류
    "usage.no_option": "그런 옵션은 없다: {option}",
    "usage.dash_dash": "'-'로 시작하는 식은 '--' 뒤에 쓴다: {fixed}",
    "usage.did_you_mean": "{name:을/를} 뜻했나?",
    "usage.see_help": "{command} --help를 참고한다",
    "usage.missing": "인자 {name:이/가} 빠졌다",
    "usage.needs_value": "옵션 {option}에는 값이 필요하다",
    "usage.no_value": "옵션 {option}에는 값을 주지 않는다",
    "usage.extra": "필요 없는 인자가 더 있다: {args}",
    "usage.no_command": "{name:'이라는/라는} 명령은 없다",
    "usage.commands": "명령: {names}",
    "usage.bad_choice": "{option} {value}: {choices} 중 하나여야 한다",
    "usage.integer": "정수",
    "usage.number": "숫자",
    "usage.not_a_number": "{option} {value}: {kind:이/가} 와야 한다",
    "usage.range": "{option} {value}: {range} 범위여야 한다",
    "usage.bad_value": "{option}: {detail}",
    # --help: 패널과 옵션 설명
    "panel.arguments": "인자",
    "panel.options": "옵션",
    "panel.commands": "명령",
    "panel.output": "출력",
    "panel.checking": "검사",
    "panel.arrays": "gradient와 배열",
    "panel.language": "언어",
    "panel.grading": "채점 (--key와 함께)",
    "panel.training": "학습",
    "panel.network": "네트워크",
    "help.format": "table, json, dot, markdown, latex, html (기본값: table, 파이프에서는 json).",
    "help.format_table_json": "table 또는 json (기본값: 터미널에서는 table, 파이프에서는 json).",
    "help.check_format": "table 또는 json; --key와 함께라면 csv, gradescope, junit, markdown도.",
    "help.default": "[기본값: {}]",
    "help.required": "[필수]",
    "help.help": "이 도움말을 보이고 끝낸다.",
    "help.version": "버전을 보이고 끝낸다.",
    "help.cmd.app": (
        "backprop 계산기: 노드마다 순방향 값과 chain rule gradient를 계산한다.\n\n"
        'backcalc grad "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc explain "sigmoid(w0*x0+w1*x1+w2)" w0=2 x0=-1 w1=-3 x1=-2 w2=-3\n'
        "backcalc net examples/xor.toml"
    ),
    "help.cmd.grad.short": "각 노드의 순방향 값과 chain rule gradient.",
    "help.cmd.grad": (
        "각 노드의 순방향 값과 chain rule gradient를 보인다.\n\n"
        'backcalc grad "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc grad "sigmoid(w0*x0+w1*x1+w2)" w0=2 x0=-1 w1=-3 x1=-2 w2=-3\n'
        'backcalc grad "sum((W @ x)**2)" "W=[[0.1,0.5],[-0.3,0.8]]" "x=[0.2,0.4]"'
    ),
    "help.cmd.graph.short": "computational graph를 그림으로 그린다.",
    "help.cmd.graph": (
        "강의처럼 computational graph를 그린다: 값은 초록색, gradient는 빨간색.\n\n"
        'backcalc graph "(x+y)*z" x=-2 y=5 z=-4 -o graph.svg\n'
        'backcalc graph "sigmoid(w0*x0+w1*x1+w2)" w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o neuron.png'
    ),
    "help.cmd.explain.short": "순방향과 역방향 계산을 단계별로 설명한다.",
    "help.cmd.explain": (
        "순방향과 역방향 계산을 단계별로 설명한다: 게이트, local gradient, "
        "upstream × local = downstream, 그리고 그 이유.\n\n"
        'backcalc explain "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc explain "2*(x*y + max(z, w))" x=3 y=-4 z=2 w=-1 --lang ko'
    ),
    "help.cmd.check.short": "답 파일을 채점하거나, --key로 제출물들을 채점한다.",
    "help.cmd.check": (
        "답 파일을 채점하거나 (모두 맞으면 종료 코드 0, 틀린 것이 있으면 1, 형식 오류는 2), "
        "--key로 한 반의 제출물을 채점한다.\n\n"
        "backcalc check examples/answers.toml\n"
        "backcalc check --key key.toml submissions/ -f csv -o grades.csv"
    ),
    "help.cmd.net.short": "네트워크 spec의 순방향과 역방향 계산.",
    "help.cmd.net": (
        "네트워크 spec을 순방향, 역방향으로 계산한다: 층마다 z, a, delta = dL/dz, dL/dW, dL/db, "
        "그리고 loss.\n\n"
        "backcalc net examples/xor.toml\n"
        "backcalc net examples/xor.toml --step --lr 0.5 -o xor-1.toml"
    ),
    "help.cmd.train.short": "gradient descent로 네트워크를 학습한다.",
    "help.cmd.train": (
        "gradient descent로 네트워크를 학습하고 (예제마다, batch, mini-batch) loss를 그린다.\n\n"
        "backcalc train examples/xor.toml --epochs 2000 --lr 0.5 -o xor-trained.toml\n"
        "backcalc train examples/xor.toml --batch 1 --plot loss.png"
    ),
    "help.cmd.quiz.short": "연습: 순방향 값과 gradient를 직접 채우고 바로 채점받는다.",
    "help.cmd.quiz": (
        "backpropagation 연습: 각 노드의 순방향 값을 입력하고, 역방향 순서로 gradient를 입력한다. "
        "답마다 바로 맞고 틀림을 알려 주고, 틀리면 힌트를 주며, 끝에 점수를 보여 준다.\n\n"
        'backcalc quiz "(x+y)*z" x=-2 y=5 z=-4\n'
        'backcalc quiz "1/(1+exp(-(w0*x0+w1*x1+w2)))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3 --decimals 2\n'
        'backcalc quiz "(x+y)*z" x=-2 y=5 z=-4 -o quiz.html'
    ),
    "help.cmd.step.short": "cs231n optim.py의 update 한 번 (sgd, sgd_momentum, rmsprop, adam).",
    "help.cmd.step": (
        "cs231n의 optim.py가 계산하는 update 한 번: w, dw, 규칙의 상태와 config(노트북의 setup 줄)에서 "
        "다음 w와 새 상태를 계산한다.\n\n"
        "backcalc step adam --setup examples/cs231n/setup-adam.txt\n"
        "backcalc step sgd_momentum --setup examples/cs231n/setup-sgd-momentum.txt -f json"
    ),
    "help.expression": '식: "(x+y)*z", "q = x+y; f = q*z"; -나 @FILE이면 읽어 온다.',
    "help.values": "입력 값: x=-2 y=0.5 z=1/3 W=[[1,2],[3,4]].",
    "help.precision": "유효 숫자 자릿수 (기본값 4; JSON은 전부).",
    "help.ties": "max/min에서 값이 같을 때: split (기본값), all, first.",
    "help.expand": "sigmoid, tanh, softplus를 기본 게이트로 나눈다.",
    "help.values_file": ".json, .toml, .npz, .npy 파일에서 값을 읽는다.",
    "help.standalone": "-f latex와 함께: 완결된 문서.",
    "help.lang": "en 또는 ko (기본값: LANG에 따라).",
    "help.spec": "네트워크 spec: .toml 또는 .json 파일 (docs/networks.md 참고).",
    "help.in_place": "입력 spec 위에 덮어쓰기를 허용한다 (-o의 기본값이 된다).",
    "help.wrt": "이 입력들의 gradient만: --wrt x,y.",
    "help.symbolic": "각 gradient를 수식으로도 (SymPy).",
    "help.timeout": "--symbolic/--exact의 제한 시간(초) (기본값 30).",
    "help.exact": "정확한 산술로도 계산 (1/3은 1/3 그대로).",
    "help.check": "수치적 gradient 검사; 실패하면 종료 코드 1.",
    "help.h": "--check의 간격 (기본값 1e-5).",
    "help.tol": "허용 상대 오차 (기본값 1e-6).",
    "help.atol": "--expect의 허용 절대 오차 (기본값 1e-9).",
    "help.expect": "기대하는 답; 여러 번 가능; 틀리면 종료 코드 1.",
    "help.jacobian": "작은 local Jacobian도 보인다.",
    "help.nodes": "--no-nodes: 값과 gradient만 보인다.",
    "help.graph_output": (
        "그림을 FILE에 쓴다 (.dot, .svg, .png, .pdf; .dot 외에는 Graphviz 필요); 없으면 DOT을 표준 출력에."
    ),
    "help.max_nodes": "게이트 N개까지의 그림을 그린다 (기본값: 게이트 2000개나 배치 약 10초를 넘으면 거절).",
    "help.check_file": ("답 파일 (자체 검사); --key와 함께라면 제출물: 파일, 디렉터리, 또는 표준 입력(-)."),
    "help.key": "파일들을 이 answer key(.toml 또는 .json)로 제출물로서 채점한다.",
    "help.rtol_key": "모든 문제의 상대 허용 오차.",
    "help.atol_key": "모든 문제의 절대 허용 오차.",
    "help.decimals_key": "이 자릿수로 올바르게 반올림한 답도 맞는 것으로 본다.",
    "help.output_key": (
        "보고서를 이 파일에 쓴다 (원자적으로); -f gradescope에서 디렉터리를 주면 "
        "제출물마다 DIR/STUDENT/results.json을 쓴다."
    ),
    "help.step": "gradient descent를 한 step 한다: w <- w - lr * dL/dw.",
    "help.lr_step": "--step의 learning rate.",
    "help.net_output": "(갱신된) spec을 FILE(.toml 또는 .json)에 원자적으로 쓴다.",
    "help.net_explain": "층마다 계산을 설명한다 (z, a, delta, dW, db), --lang의 언어로.",
    "help.data": "학습 데이터: 헤더가 있는 .csv 또는 x와 y가 든 .npz (기본값: spec의 x와 y).",
    "help.target": "CSV의 target 열: --target y 또는 --target y1,y2.",
    "help.features": "CSV의 feature 열 (기본값: 나머지 모든 열): --features x1,x2.",
    "help.epochs": "데이터를 몇 번 돌지 (epoch 수).",
    "help.batch": "step마다의 행 수: 1은 예제마다, 0은 전체 batch, 그 외는 mini-batch.",
    "help.lr": "learning rate: w <- w - lr * dL/dw.",
    "help.seed": "섞기의 seed.",
    "help.shuffle": "epoch마다 행을 섞는다.",
    "help.train_output": "학습된 네트워크를 spec(.toml 또는 .json)으로 저장한다; 중단될 때도.",
    "help.plot": "epoch마다의 loss를 FILE(.png, .svg, .pdf)에 그린다; matplotlib 필요.",
    "panel.setup": "노트북의 setup",
    "help.decimals": "슬라이드처럼 소수점 아래 N자리로 (0.73, -0.20).",
    "help.roles": "게이트 이름: 2017 (switcher) 또는 2019 (swap multiplier, copy gate).",
    "help.grad_output": "FILE에 쓴다. 형식은 확장자를 따른다 (.json .md .tex .html .dot .svg .png).",
    "help.setup": "노트북의 setup 줄에서 값을 읽는다 (실행하지 않는다); -는 표준 입력.",
    "help.upstream": "1 대신 이 값(cs231n의 dout)에서 역방향 계산을 시작한다.",
    "help.check_setup": (
        "모든 문제의 값을 노트북의 setup 줄에서 읽는다 (docs/cs231n-setup.md 참고); -는 표준 입력에서 읽는다."
    ),
    "help.steps": (
        "게이트 하나씩 순방향과 역방향 계산을 재생한다. 그래프 그림에서 지금 게이트가 밝게 보인다 "
        "(Enter: 다음, q: 멈춤; 입력이 터미널이 아니면 모든 단계를 한 번에)."
    ),
    "help.explain_format": (
        "table (기본값), 또는 문서: markdown, latex, html; --steps와 함께면 html은 "
        "게이트마다 단계를 재생하는 페이지다."
    ),
    "help.graph_format": "-o 없이 표준 출력에 쓸 형식: dot (파이프에서의 기본값), svg, png/pdf (파이프로만).",
    "help.notation": "--explain의 기호: lecture (L, δ, W1, a1) 또는 3b1b (C0, w(L), a(L-1), 3Blue1Brown의 표기).",
    "help.update": (
        "update 규칙, cs231n의 optim.py처럼: sgd, sgd_momentum (0.9), rmsprop (0.99, 1e-8), adam "
        "(0.9, 0.999, 1e-8); 기본값은 spec의 update, 없으면 sgd."
    ),
    "help.lr_decay": "epoch마다 learning rate에 이 값을 곱한다 (기본값: spec의 값, 없으면 1).",
    "help.quiz_decimals": "소수점 아래 N자리로 반올림한 답도 맞는 것으로 본다 (정답도 그렇게 반올림해 보인다).",
    "help.quiz_format": (
        "text: 터미널에서 묻고 답을 표준 입력에서 한 줄씩 읽는다; "
        "html: 빈칸마다 상자가 있어 초록색이나 빨간색으로 바뀌는 독립된 페이지."
    ),
    "help.quiz_output": "HTML 퀴즈 페이지를 FILE에 쓴다 (--format html이 된다).",
    "help.step_rule": "update 규칙: sgd, sgd_momentum, rmsprop, adam 중 하나.",
    "help.step_values": "setup 대신 쓸 설정이나 값, NAME=VALUE로: learning_rate=1e-3 t=5.",
    "help.step_setup": (
        "노트북의 setup 줄: w, dw와 config 딕셔너리 (learning_rate, velocity, ...); -는 표준 입력에서 읽는다."
    ),
    "help.step_w": "setup에서 weight의 이름.",
    "help.step_dw": "setup에서 gradient의 이름.",
    "help.step_config": "setup에서 config 딕셔너리의 이름.",
    # 식 읽기
    "parse.not_text": "식은 텍스트여야 한다",
    "parse.too_long": "식의 길이가 {length:,}자로, 제한 {limit:,}자를 넘는다",
    "parse.raise_limit": "{variable:으로/로} 제한을 늘릴 수 있다",
    "parse.no_arguments": "{name}()에는 인자가 필요하다",
    "parse.number_too_large": "숫자 {number:은/는} float64로 나타내기에 너무 크다",
    "parse.ended": "값이 와야 할 자리에서 식이 끝났다",
    "parse.no_keywords": "키워드 인자는 쓸 수 없다",
    "parse.expected_operand": "숫자, 이름 또는 '('가 와야 하는데 {found:'이/가} 있다",
    "parse.assignment_hint": "대입은 문장 맨 앞에 'q = x + y'처럼 쓴다",
    "parse.unexpected_eq": "'='가 올 자리가 아니다",
    "parse.missing_operator": "'{token}' 앞에 연산자가 없다",
    "parse.unmatched_close": "짝이 없는 ')'",
    "parse.comma": "함수 호출 밖에 ','가 있다",
    "parse.no_tuples": "backcalc의 식에는 튜플이 없다",
    "parse.unclosed": "{where}의 '('를 닫는 ')'가 없다",
    "parse.ended_here": "여기서 식이 끝났다",
    "parse.empty": "식이 비어 있다",
    "parse.empty_hint": '식을 하나 쓴다. 예: "(x+y)*z"',
    "parse.too_many_nodes": "식의 노드가 {limit:,}개보다 많다",
    "parse.underscore": "이름은 '_'로 시작할 수 없다 ({name:'이/가} 주어졌다)",
    "parse.keyword": (
        "{name:'은/는} Python 키워드이다. backcalc의 식은 산술뿐이다 "
        "(lambda, 조건식, comprehension, 문장은 쓸 수 없다)"
    ),
    "parse.too_deep": "중첩이 {limit:,}단계보다 깊다",
    "parse.unexpected_char": "예상하지 못한 문자 {char}",
    "parse.refused.attribute": "속성 접근('.')은 backcalc의 식에 없다",
    "parse.refused.subscript": ("첨자와 리스트는 식에 쓸 수 없다. 배열은 값으로 준다 (W=[[1,2],[3,4]])"),
    "parse.refused.subscript_close": "첨자와 리스트는 식에 쓸 수 없다",
    "parse.refused.braces": "중괄호는 backcalc의 식에 없다",
    "parse.refused.string": "문자열은 backcalc의 식에 없다",
    "parse.refused.colon": "':'(lambda, slice, annotation)는 backcalc의 식에 없다",
    "parse.refused.not_operator": "{char:'은/는} 여기서 연산자가 아니다",
    "parse.refused.comparison": "비교는 backcalc의 식에 없다",
    "parse.refused.bar": "'|'는 여기서 연산자가 아니다",
    "parse.refused.backslash": "백슬래시는 backcalc의 식에 없다",
    "parse.refused.backtick": "백틱은 backcalc의 식에 없다",
    "parse.hint.write_instead": "{wrong} 대신 {right:을/를} 쓴다",
    "parse.hint.module_prefix": "{written}(...) 대신 {name}(...)처럼 함수 이름만 쓴다",
    "parse.hint.transpose": "전치 Wᵀ는 transpose(W)로 쓴다",
    "parse.hint.norm": "{written} 대신 {right:을/를} 쓴다",
    "parse.hint.abs": "|x|는 abs(x)로 쓴다",
    "parse.hint.prime": "{name}' 같은 이름은 쓸 수 없다: {name}2나 {name}_prime 같은 다른 이름을 쓴다",
    "parse.hint.call": "'{name}({arg})'처럼 함수의 인자는 괄호 안에 쓴다",
    "parse.hint.product": "곱이라면 '{left} * {right}'처럼 쓴다",
    # 값과 이름
    "values.missing": "'{name}'의 값이 없다{more}. {name}=VALUE로 준다 (주어진 값: {given}).",
    "values.also_missing": " (그 밖에 없는 값: {names})",
    "values.none": "없음",
    "values.did_you_mean": "{name}={value:을/를} 뜻했나? ({wrote}={value:이라고/라고} 썼다)",
    "values.comma": "{item:'을/를} 읽을 수 없다: 값은 쉼표가 아니라 공백으로 나눈다",
    "values.comma_hint": "{fixed}처럼 쓴다",
    "values.not_assignment": "{item:'을/를} 읽을 수 없다: 값은 NAME=VALUE로 준다. 예: x=-2",
    "values.dash_dash": "옵션은 '--' 앞에 쓴다: backcalc grad -f table -- \"-x*y\" x=1 y=2",
    "values.bad_name": "{item:'을/를} 읽을 수 없다: {name:'은/는} 올바른 이름이 아니다",
    "values.twice": "{name:이/가} 두 번 주어졌다",
    "values.not_number": "{name}={text:'을/를} 읽을 수 없다: -2, 0.5, 1e-3, 1/3 같은 숫자여야 한다",
    "values.zero_denominator": "{name}={text:을/를} 읽을 수 없다: 분모가 0이다",
    "values.too_large": "{name}={text:을/를} 읽을 수 없다: float64로 나타내기에 너무 큰 숫자이다",
    "engine.unknown_function": "{name:'이라는/라는} 함수는 없다",
    "engine.spelling_hint": "{right}(...)로 쓴다: backcalc에서는 {right:이라고/라고} 부른다",
    "engine.close_function": "{call:을/를} 뜻했나? 있는 함수: {known}",
    "engine.known_functions": "있는 함수: {known}",
    # 그래프 만들기와 계산
    "engine.is_function": "{name:'은/는} 함수이다. {name}(...)처럼 호출한다",
    "engine.arity": "{name}()에 인자 {got}개가 주어졌다 (받는 인자: {takes})",
    "engine.axis_constant": "{name}()의 axis는 식에 직접 쓴 숫자여야 한다. 예: {name}(x, 0)",
    "engine.axis_hint": "axis는 0부터 센다 (행렬의 행이 axis 0); -1은 마지막 axis",
    "engine.unused_statement": "이 문장의 값은 쓰이지 않는다. 이름을 붙이거나 (q = ...) 지운다",
    "engine.assigned_twice": "{name:'이/가} 두 번 대입되었다",
    "engine.assigned_twice_hint": "이름마다 한 번만 대입한다. 새 이름을 쓴다",
    "engine.used_before": "{name:'이/가} 대입되기 전에 쓰였다",
    "engine.used_before_hint": "'{name} = ...'를 처음 쓰는 곳보다 앞으로 옮긴다",
    "engine.computed_and_given": "{name:'은/는} 식에서 계산되는데 값으로도 주어졌다",
    "engine.computed_and_given_hint": "{name}=VALUE를 빼거나 중간 값의 이름을 바꾼다",
    "engine.output_nan": "출력 {name:이/가} 숫자가 아니다 (nan)",
    "engine.output_inf": "출력 {name:이/가} 무한대이다",
    "engine.shape_mismatch": "{node} = {text}에서 shape가 맞지 않는다: {op}에 {got:이/가} 들어왔다; {why}",
    "engine.at": " ({where})",
    "engine.overflow": "{node} = {text}{at}: 값이 무한대로 넘쳤다(overflow). 이 노드를 지나는 gradient는 의미가 없다",
    "engine.nan": "{node} = {text}{at}: 값이 숫자가 아니다(nan). 이 노드를 지나는 gradient는 의미가 없다",
    "engine.gradient_nonfinite": (
        "{node}에서 gradient가 {value:이다/다}. overflow나 기울기가 무한대인 꺾인 점"
        "(0에서의 sqrt, 0 ** 음수)이 있는지 확인한다"
    ),
    "values.unused": "{name}={value:이/가} 주어졌지만 식은 {name:'을/를} 쓰지 않는다",
    "values.bad_array": "{name}={text:을/를} 읽을 수 없다: 올바른 배열이 아니다 ({reason})",
    "values.array_hint": "배열은 [1, 2]나 [[1, 2], [3, 4]]처럼 쓴다",
    "values.not_numbers": "{name}: 숫자나 숫자의 (중첩) 리스트여야 하는데 {kind:이/가} 주어졌다",
    "values.too_many_dims": "{name}: {dims}차원 배열이다; 최대 {limit}차원까지 쓸 수 있다",
    "values.too_many_elements": "{name}: 원소 {size:,}개는 제한 {limit:,}개보다 많다",
    "values.array_too_large": "{name}: 배열에 float64로 나타내기에 너무 큰 숫자가 있다",
    "values.element_not_number": "{name}: {element:은/는} 숫자가 아니다",
    "values.ragged_mixed": "{name}: 모양이 고르지 않은 배열이다 ({depth}단계에서 리스트와 숫자가 섞여 있다)",
    "values.ragged_rows": "{name}: 모양이 고르지 않은 배열이다 ({depth}단계에서 행의 길이가 {lengths})",
    "values.empty_array": "{name}: 빈 배열이다",
    "values.bool": "{name}: 숫자여야 하는데 bool이 주어졌다",
    "values.not_finite": "{name}: 값은 유한해야 하는데 {value:이/가} 주어졌다",
    "values.ragged": "{name}: 모양이 고르지 않은 배열이다 (행의 길이가 서로 다르다)",
    "values.array_not_finite": "{name}: 배열에 inf나 nan이 있다; 유한한 숫자를 준다",
    # 네트워크 spec
    "spec.at_key": "{where}: {key}: {detail}",
    "spec.at": "{where}: {detail}",
    "spec.missing_key": "키가 없다",
    "spec.unknown_key": "모르는 키이다",
    "spec.did_you_mean": "{name:'을/를} 뜻했나?",
    # gradient 검사와 기대하는 답
    "check.rel_error": "{name} (상대 오차 {error} > tol {tol})",
    "check.failed": "gradient 검사에 실패했다: {parts}",
    "check.failed_hint": (
        "해석적 gradient와 수치적 gradient가 다르다; 입력 근처의 꺾인 점, "
        "큰 간격 h나 빡빡한 허용 오차 tol 때문일 수도 있다"
    ),
    "check.failed_hint_settings": (
        "해석적 gradient와 수치적 gradient가 다르다; 입력 근처의 꺾인 점, "
        "큰 {h}, 빡빡한 {tol} 때문일 수도 있다"
    ),
    "check.not_a_quantity": "{name:'은/는} 입력도 출력도 아니다 (입력: {inputs}; 출력: {output})",
    "check.mismatch": "{quantity}: 기대한 값 {expected}, 계산한 값 {computed}{why}",
    "check.no_match": "답이 맞지 않는다: {parts}",
    "check.no_match_hint": "반올림한 답을 받아들이려면 허용 오차({tol})를 늘린다. 예: 0.01",
    "check.positive": "{name:은/는} 양수여야 하는데 {value:이/가} 주어졌다",
    # 답 파일, 산술 영역
    "answers.not_found": "답 파일이 없다: {path}",
    "answers.directory": "{path:은/는} 디렉터리이다. 답 파일이 아니다",
    "answers.stdin": "표준 입력의 답 파일",
    "answers.not_toml": "{where:은/는} 올바른 TOML이 아니다: {reason}",
    "answers.see_example": "형식은 examples/homework.toml을 참고한다",
    "answers.not_utf8": "{where:은/는} UTF-8 텍스트가 아니다",
    "answers.no_problems": "{path}: 문제가 없다; expression이 있는 [[problem]] 표를 하나 이상 넣는다",
    "domains.ties": "{ties:'이라는/라는} tie 규칙은 없다; 다음 중 하나를 고른다: {choices}",
    "domains.no_rule": "op {op:'은/는} 아직 {label} 값에 대한 규칙이 없다 ({node} = {text}에서 쓰였다)",
    "domains.no_rule_hint": "exact나 symbolic 산술 없이도 수치 gradient는 계산된다",
    # 채점: answer key와 제출물 읽기
    "grading.not_found": "{what:을/를} 찾을 수 없다: {path}",
    "grading.directory": "{what} {path:은/는} 파일이 아니라 디렉터리이다",
    "grading.cannot_read": "{what} {path:을/를} 읽을 수 없다: {reason}",
    "grading.too_large": "{what} {path:이/가} {limit:,}바이트보다 크다",
    "grading.not_utf8": "{what} {path:은/는} UTF-8 텍스트가 아니다 ({byte}번째 바이트)",
    "grading.no_such_path": "그런 파일이나 디렉터리가 없다: {path}",
    # 값 파일
    "values.in_file": "{file} {path}: {detail}",
    "values.nesting": "{where}: 배열이나 객체가 {limit:,}단계보다 깊게 중첩되어 있다{at}",
    "values.file_kind": "모르는 종류의 파일이다 ('{ext}')",
    "values.file_kind_hint": ".json, .toml, .npy, .npz 파일을 준다",
    "values.file_too_large": "파일이 제한 {limit:,}바이트보다 크다",
    "values.file_unreadable": "파일을 읽을 수 없다 ({reason})",
    "values.file_not_numbers": "숫자가 든 {ext} 파일로 읽을 수 없다 ({reason})",
    "values.npy_name": ".npy 파일의 이름이 값의 이름이 되는데, {stem:'은/는} 올바른 이름이 아니다",
    "values.npy_name_hint": "이름을 바꾼다. 예: W.npy",
    "values.file_bad_name": "{name:'은/는} 값의 이름으로 쓸 수 없다",
    "values.file_entry_unreadable": "{name:을/를} 읽을 수 없다 ({reason})",
    "values.file_empty": "파일에 배열이 없다",
    "values.file_bad_array": "{name:은/는} 읽을 수 있는 배열이 아니다 ({reason})",
    "values.file_too_many": "{name}의 원소 {size:,}개는 제한 {limit:,}개보다 많다",
    "values.file_bad_npz": "읽을 수 있는 .npz 파일이 아니다 ({reason})",
    "values.file_not_utf8": "UTF-8 텍스트가 아니다",
    "values.not_json": "{where}: 올바른 JSON이 아니다 ({reason})",
    "values.not_toml": "{where}: 올바른 TOML이 아니다 ({reason})",
    "values.file_not_object": "NAME: 값 쌍의 객체여야 하는데 {kind:이/가} 주어졌다",
    "values.number_too_large": "{where}: float64로 나타내기에 너무 큰 숫자이다",
    "spec.number": "숫자여야 하는데 {got:이/가} 주어졌다",
    "spec.number_at_least": "{lo} 이상의 숫자여야 하는데 {got:이/가} 주어졌다",
    "spec.number_below": "{hi}보다 작은 숫자여야 하는데 {got:이/가} 주어졌다",
    "spec.integer_at_least": "{lo} 이상의 정수여야 하는데 {got:이/가} 주어졌다",
    "spec.numbers": "숫자나 숫자의 리스트여야 하는데 {kind:이/가} 주어졌다",
    "spec.unknown_loss": "{loss:이라는/라는} loss는 없다; 다음 중 하나여야 한다: {choices}",
    "spec.unknown_activation": "{activation:이라는/라는} activation은 없다; 다음 중 하나여야 한다: {choices}",
    "grading.at": "{where}: {detail}",
    "grading.unknown_key_close": "{key:'은/는} 모르는 키이다; {close:'을/를} 뜻했나?",
    "grading.unknown_key": "{key:'은/는} 모르는 키이다; 있는 키: {known}",
    "grading.nonneg": "0 이상의 숫자여야 하는데 {got:이/가} 주어졌다",
    "grading.decimals": "소수점 자릿수는 0부터 15까지의 정수여야 하는데 {got:이/가} 주어졌다",
    "grading.key_not_table": "answer key {path}: 문제들의 표여야 한다",
    "grading.see_key_example": "examples/grading/key.toml을 참고한다",
    "grading.no_problems": "문제가 없다; name, expression, values가 있는 [[problem]] 표를 넣는다",
    "grading.same_name": "두 문제의 이름이 {name:이다/다}; 이름은 서로 달라야 한다",
    "grading.problem_not_table": "표([[problem]])여야 한다",
    "grading.no_name": "키 'name'이 없다 (제출물은 문제를 이름으로 찾아 답한다)",
    "grading.no_expression": "키 'expression': 식을 문자열로 준다",
    "grading.values_not_table": "키 'values': values = {{ x = -2 }} 같은 표여야 한다",
    "grading.ties": "키 'ties': {choices} 중 하나여야 하는데 {got:이/가} 주어졌다",
    "grading.expand": "키 'expand': true나 false여야 한다",
    "grading.in_expression": " (식의 {where})",
    "grading.problem_error": "{where}: {detail}{at}",
    "grading.ask_list": '키 \'ask\': 이름의 리스트여야 한다. 예: ask = ["value", "x"]',
    "grading.ask_twice": "키 'ask'에 같은 항목이 두 번 있다",
    "grading.ask_unknown": (
        "키 'ask': {item:은/는} 식의 값도, 입력도, 노드도 아니다 (입력: {inputs}; 노드: {nodes})"
    ),
    "grading.points_not_asked": "키 'points.{key}': {key:'은/는} ask 목록에 없다",
    "usage.example": "예: {example}",
    "values.wrt_unknown": "{wrt}에 준 {names:은/는} 식에서 쓰지 않는다 (식의 입력: {inputs})",
    "spec.file_kind": "{path}: 모르는 종류의 spec 파일이다 ('{ext}')",
    "spec.file_kind_hint": ".toml이나 .json 파일을 준다",
    "spec.unreadable": "{path}: spec을 읽을 수 없다 ({reason})",
    "spec.text": "텍스트여야 하는데 {kind:이/가} 주어졌다",
    "spec.inputs_mismatch": "예제마다 입력이 {count}개인데, inputs = {inputs:이다/다}",
    "spec.wrong_parameter": "{key:'은/는} {activation}의 parameter가 아니라 {owner}의 parameter이다",
    # --- teaching: explain, steps, quiz, pictures, training (issue 14) ---
    "graph.tip.input": "입력",
    "graph.tip.value": "값",
    "graph.tip.grad": "gradient",
    "graph.terminal": (
        "graph는 터미널에 쓸 글이 아니라 그림입니다: -o graph.svg (또는 .png, .pdf; Graphviz가 그립니다)로 "
        "파일에 그리거나, -f dot으로 DOT 텍스트를 출력하세요"
    ),
    "graph.binary_terminal": "{fmt:은/는} 바이너리 이미지입니다: -o graph.{fmt:으로/로} 파일에 쓰거나 파이프로 넘기세요",
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
    "narrate.batch_mean": "loss는 example {n}개의 평균이므로 example마다 δ에 1/{n:이/가} 곱해진다.",
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
        "이유: {gate:은/는} swap multiplier다. 각 입력은 upstream gradient에 다른 입력의 값을 곱해 "
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
    "quiz.stopped": "빈칸 {total}개 중 {answered}개를 풀고 멈췄다.",
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
    # backcalc.step, the Python API (helper cs231n)
    "api.step_setting": "step {rule}: {name:'은/는} {rule}의 설정이 아니다 ({rule}의 설정: {settings})",
    "api.step_config": (
        "step {rule}: config는 노트북의 config = {{'learning_rate': 1e-2, ...}}처럼 딕셔너리여야 한다. "
        "받은 값: {got}"
    ),
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
    "nb.step": "learning rate {lr:으로/로} gradient descent를 한 번 한 뒤의 loss: {loss}",
    "nb.net_graph": "네트워크의 graph (노드 {nodes}개)를 노드별로 보려면: .result (chain rule 표).",
    "nb.trained": (
        "{spec} 학습 ({data}): epoch {epochs}번, step {steps}번 (batch {batch}, lr {lr}), {seconds}초"
    ),
    "nb.losses": "loss: epoch 1에서 {first}, epoch {epochs}에서 {last}; 최종 가중치로 전체 데이터에서 {final}",
    "nb.interrupted": "step {steps}번 뒤에 중단됨 (epoch {asked}번 중 {epochs}번): 결과에는 그때까지 학습한 것이 들어 있다",
    "nb.more_students": "… 제출물 {more}개가 더 있다: 모든 보고서는 .submissions에 있다.",
}
