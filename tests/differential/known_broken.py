"""What today's fixer breaks: generated programs (by id) and regression
files (by stem), each a strict xfail in ``test_fix_differential``.

Remove an entry when the fixer is fixed: its test then fails as XPASS(strict).
Written by ``sweep.py --save``; the reason says what the fixed program did
differently (the classified list is in the differential test's report).
"""

# reason -> program ids and regression file stems
_BY_REASON: dict[str, list[str]] = {
    (
        '`functools.partial(s.get, ...)` called after the `with`: main raises '
        'RuntimeError'
    ): [
        'partial-aiohttp',
        'partial-httpx',
        'partial-httpx_async',
    ],
    '`map(s.get, ...)` consumed after the `with`: main raises RuntimeError': [
        'map_bound-aiohttp',
        'map_bound-httpx',
        'map_bound-httpx_async',
    ],
    (
        'a bound iterator method of the response called after its `with`: main raises '
        'StreamClosed'
    ): [
        'stream_bound_iter-httpx_send-iter_bytes',
        'stream_bound_iter-httpx_send-iter_lines',
        'stream_bound_iter-httpx_send-iter_raw',
    ],
    (
        'a bound iterator method of the response called after its `with`: the output '
        'differs (no exception: data lost or state changed)'
    ): [
        'stream_bound_iter-requests_get-iter_content',
        'stream_bound_iter-requests_get-iter_lines',
        'stream_bound_iter-requests_session-iter_content',
        'stream_bound_iter-requests_session-iter_content-nested',
    ],
    'a bound method `g = s.get` called after the `with`: main raises RuntimeError': [
        'bound_method-aiohttp',
        'bound_method-httpx',
        'bound_method-httpx-if',
        'bound_method-httpx-nested',
        'bound_method-httpx-once',
        'bound_method-httpx-padded',
        'bound_method-httpx_async',
    ],
    (
        'a bound method `g = s.get` called after the `with`: the output differs (no '
        'exception: data lost or state changed)'
    ): [
        'bound_method-httpx-try',
    ],
    'a bound method called after the `with`: main raises RuntimeError': [
        'loop_then_bound-aiohttp',
        'loop_then_bound-aiohttp-method',
        'loop_then_bound-httpx',
        'loop_then_bound-httpx-method',
        'loop_then_bound-httpx_async',
        'loop_then_bound-httpx_async-nested',
    ],
    'a bound method called in `except:` after the `with`: main raises RuntimeError': [
        'except_derived-aiohttp',
        'except_derived-httpx',
        'except_derived-httpx_async',
        'except_derived-httpx_async-method',
    ],
    'a bound method called in `finally:` after the `with`: main raises RuntimeError': [
        'try_finally_derived-aiohttp',
        'try_finally_derived-aiohttp-nested',
        'try_finally_derived-httpx',
        'try_finally_derived-httpx_async',
    ],
    'a bound method kept in a dict called after the `with`: main raises RuntimeError': [
        'method_dict-aiohttp',
        'method_dict-httpx',
        'method_dict-httpx_async',
        'method_dict-httpx_async-method',
    ],
    'a bound method returned from inside the `with`: main raises RuntimeError': [
        'conditional_return_bound_true-aiohttp',
        'conditional_return_bound_true-httpx',
        'conditional_return_bound_true-httpx-method',
        'conditional_return_bound_true-httpx_async',
        'conditional_return_bound_true-httpx_async-nested',
    ],
    'a future created in the `with` runs after it: main raises RuntimeError': [
        'ensure_future-aiohttp',
        'ensure_future-httpx_async',
    ],
    (
        'a generator expression of requests consumed after the `with`: main raises '
        'RuntimeError'
    ): [
        'genexp-aiohttp',
        'genexp-aiohttp-nested',
        'genexp-httpx',
        'genexp-httpx-method',
        'genexp-httpx_async',
    ],
    (
        'a generator expression over the response consumed after its `with`: main raises '
        'StreamClosed'
    ): [
        'stream_genexp-httpx_send-iter_bytes',
        'stream_genexp-httpx_send-iter_bytes-method',
        'stream_genexp-httpx_send-iter_bytes-nested',
        'stream_genexp-httpx_send-iter_lines',
        'stream_genexp-httpx_send-iter_raw',
    ],
    (
        'a generator expression over the response consumed after its `with`: the output '
        'differs (no exception: data lost or state changed)'
    ): [
        'stream_genexp-requests_get-iter_content',
        'stream_genexp-requests_get-iter_content-method',
        'stream_genexp-requests_get-iter_lines',
        'stream_genexp-requests_session-iter_content',
        'stream_genexp-requests_session-iter_content-method',
        'stream_genexp-requests_session-iter_content-nested',
    ],
    'a generator over the client consumed after the `with`: main raises RuntimeError': [
        'generator_helper-aiohttp',
        'generator_helper-httpx',
        'generator_helper-httpx-nested',
        'generator_helper-httpx_async',
        'generator_helper-httpx_async-method',
    ],
    (
        'a generator over the response consumed after its `with`: main raises '
        'StreamClosed'
    ): [
        'stream_helper_generator-httpx_send-iter_bytes',
        'stream_helper_generator-httpx_send-iter_lines',
        'stream_helper_generator-httpx_send-iter_raw',
    ],
    (
        'a generator over the response consumed after its `with`: the output differs (no '
        'exception: data lost or state changed)'
    ): [
        'stream_helper_generator-requests_get-iter_content',
        'stream_helper_generator-requests_get-iter_lines',
        'stream_helper_generator-requests_get-iter_lines-nested',
        'stream_helper_generator-requests_session-iter_content',
    ],
    "a streamed response read after its client's `with`: main raises ReadError": [
        'derived_response-httpx_async',
    ],
    "a streamed response read after its client's `with`: main raises RuntimeError": [
        'derived_response-aiohttp',
    ],
    'a task created in the `with` runs after it: main raises RuntimeError': [
        'task-aiohttp',
        'task-httpx_async',
        'task-httpx_async-if',
        'task-httpx_async-once',
        'task-httpx_async-padded',
    ],
    (
        'a task created in the `with` runs after it: the output differs (no exception: '
        'data lost or state changed)'
    ): [
        'task-httpx_async-try',
    ],
    'a thread started in the `with` requests after it: a thread raises RuntimeError': [
        'thread_bound-httpx',
        'thread_bound-httpx-if',
        'thread_bound-httpx-nested',
        'thread_bound-httpx-once',
        'thread_bound-httpx-padded',
        'thread_bound-httpx-try',
    ],
    (
        'an alias of the client (if-expression, `or`, walrus, annotated) used after the '
        '`with`: main raises RuntimeError'
    ): [
        'alias_annotated-aiohttp',
        'alias_annotated-httpx',
        'alias_annotated-httpx-nested',
        'alias_annotated-httpx_async',
        'alias_annotated-httpx_async-nested',
        'alias_ifexp-aiohttp',
        'alias_ifexp-aiohttp-method',
        'alias_ifexp-httpx',
        'alias_ifexp-httpx-nested',
        'alias_ifexp-httpx_async',
        'alias_ifexp-httpx_async-nested',
        'alias_or-aiohttp',
        'alias_or-httpx',
        'alias_or-httpx-method',
        'alias_or-httpx_async',
        'alias_walrus-aiohttp',
        'alias_walrus-httpx',
        'alias_walrus-httpx-method',
        'alias_walrus-httpx-nested',
        'alias_walrus-httpx_async',
    ],
    'an executor job submitted in the `with` runs after it: main raises RuntimeError': [
        'executor-httpx',
        'executor-httpx-nested',
    ],
    'an iterator of the response stepped after its `with`: main raises StopIteration': [
        'stream_next_then_rest-requests_get-iter_content',
        'stream_next_then_rest-requests_get-iter_content-nested',
        'stream_next_then_rest-requests_session-iter_content',
    ],
    'an iterator of the response stepped after its `with`: main raises StreamClosed': [
        'stream_next_then_rest-httpx_send-iter_bytes',
    ],
    (
        'an iterator or raw stream of the response consumed after its `with`: main raises'
        ' StreamClosed'
    ): [
        'stream_iterator_after-httpx_send-iter_bytes',
        'stream_iterator_after-httpx_send-iter_lines',
        'stream_iterator_after-httpx_send-iter_raw',
        'stream_iterator_after-httpx_send-iter_raw-nested',
    ],
    (
        'an iterator or raw stream of the response consumed after its `with`: the output '
        'differs (no exception: data lost or state changed)'
    ): [
        'stream_iterator_after-requests_get-iter_content',
        'stream_iterator_after-requests_get-iter_content-if',
        'stream_iterator_after-requests_get-iter_content-once',
        'stream_iterator_after-requests_get-iter_content-padded',
        'stream_iterator_after-requests_get-iter_content-try',
        'stream_iterator_after-requests_get-iter_lines',
        'stream_iterator_after-requests_get-raw',
        'stream_iterator_after-requests_session-iter_content',
        'stream_iterator_after-requests_session-iter_content-method',
        'stream_iterator_after-requests_session-raw',
    ],
    'coroutines created in the `with` are gathered after it: main raises RuntimeError': [
        'gather-aiohttp',
        'gather-httpx_async',
    ],
    (
        'hoisted session: state set in one iteration persists into the next: the output '
        'differs (no exception: data lost or state changed)'
    ): [
        'hoist_state_persists-httpx',
        'hoist_state_persists-httpx-nested',
        'hoist_state_persists-requests',
        'hoist_state_persists-requests-method',
    ],
    (
        'loop fix around `return (generator expression)`: the session is used after its '
        '`with`: more is left open at exit'
    ): [
        'loop_return_genexp-requests',
    ],
    (
        'loop fix around `return (generator expression)`: the session is used after its '
        '`with`: main raises RuntimeError'
    ): [
        'loop_return_genexp-httpx',
    ],
}

KNOWN_BROKEN: dict[str, str] = {
    name: reason for reason, names in _BY_REASON.items() for name in names
}
