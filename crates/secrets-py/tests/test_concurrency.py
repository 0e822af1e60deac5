"""Threads, processes and the GIL."""

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time

import pytest

import secrets_rs


def test_eight_threads_draw_distinct_tokens():
    per_thread = 100_000
    results = [None] * 8

    def work(slot):
        results[slot] = [secrets_rs.token_hex(16) for _ in range(per_thread)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tokens = [tok for chunk in results for tok in chunk]
    assert len(tokens) == 8 * per_thread
    assert all(len(tok) == 32 for tok in tokens)
    # 128-bit tokens: a repeat among 800,000 has probability about 1e-27.
    assert len(set(tokens)) == len(tokens)


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='needs os.fork')
def test_forked_children_draw_distinct_values():
    readers = []
    for _ in range(4):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            try:
                os.write(w, secrets_rs.token_bytes(32) + secrets_rs.SystemRandom().randbytes(32)
                         if hasattr(secrets_rs.SystemRandom, 'randbytes')
                         else secrets_rs.token_bytes(64))
            finally:
                os._exit(0)
        os.close(w)
        readers.append((pid, r))
    mine = secrets_rs.token_bytes(64)
    seen = {mine}
    for pid, r in readers:
        data = b''
        while len(data) < 64:
            chunk = os.read(r, 64)
            if not chunk:
                break
            data += chunk
        os.close(r)
        os.waitpid(pid, 0)
        assert len(data) == 64
        seen.add(data)
    assert len(seen) == 5


def draw(_):
    return secrets_rs.token_hex(32), secrets_rs.randbelow(2 ** 128)


@pytest.mark.parametrize('method', [m for m in ('fork', 'spawn', 'forkserver')
                                    if m in multiprocessing.get_all_start_methods()])
def test_multiprocessing_workers_draw_distinct_values(method):
    context = multiprocessing.get_context(method)
    with context.Pool(2) as pool:
        values = pool.map(draw, range(8))
    values.append(draw(None))
    tokens = [v[0] for v in values]
    numbers = [v[1] for v in values]
    assert len(set(tokens)) == len(tokens)
    assert len(set(numbers)) == len(numbers)


@contextlib.contextmanager
def counting_helper_thread():
    """Runs a helper thread that counts while it holds the GIL; yields its
    counter (a one-item list).

    With a switch interval of an hour, the interpreter never takes the GIL
    from the main thread by force: the helper can only run when the GIL is
    released voluntarily (its own time.sleep(0), or one of our calls). So
    the counter moves during a call only if that call released the GIL.
    """
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(3600)
    helper = threading.Thread(target=spin)
    helper.start()
    try:
        yield counter
    finally:
        stop.set()
        sys.setswitchinterval(old)
        helper.join()


def test_gil_released_during_large_draw():
    """Another thread runs while token_bytes(64 MiB) fills its buffer: the
    helper's counter moves during the call, which it cannot while the GIL is
    held (counting_helper_thread). A busy machine may leave the helper
    unscheduled during one draw, hence up to ten tries.
    """
    with counting_helper_thread() as counter:
        moved = []
        for _ in range(10):
            before = counter[0]
            data = secrets_rs.token_bytes(64 * 1024 * 1024)
            moved.append(counter[0] - before)
            assert len(data) == 64 * 1024 * 1024
            if moved[-1] > 0:
                break
    assert moved[-1] > 0, moved


LONG_RULES = 'required: digit; ' * 100_000  # 1.7 MB of rules: 60-120 ms a call here


@pytest.mark.parametrize('call', [
    lambda: secrets_rs.totp('Example', 'alice').qr_png(scale=100),
    lambda: secrets_rs.password(rules=LONG_RULES),
], ids=['qr_png(scale=100)', 'password(rules=1.7 MB)'])
def test_gil_released_during_long_extras_calls(call):
    """Calls beyond the standard library whose work can last long let
    other threads run, as the large draw above does: a 5,300-pixel QR image
    (about 0.2 s) is drawn, and long rules are read, without the GIL. The
    call runs once first, so the password's policy is built and cached
    (which always happens without the GIL) and only the reading is left.
    """
    call()
    with counting_helper_thread() as counter:
        moved = []
        for _ in range(10):
            before = counter[0]
            call()
            moved.append(counter[0] - before)
            if moved[-1] > 0:
                break
    assert moved[-1] > 0, moved


def test_small_draw_keeps_counter_still_when_gil_held():
    """The control for the test above: a call that keeps the GIL (a small
    draw) shows no progress of the helper thread under the same set-up, so
    the set-up can tell the two apart."""
    with counting_helper_thread() as counter:
        before = counter[0]
        for _ in range(1000):
            secrets_rs.token_bytes(32)
        moved = counter[0] - before
    assert moved == 0


@pytest.mark.skipif(not hasattr(signal, 'pthread_kill'), reason='needs POSIX signals')
@pytest.mark.parametrize('call', ['shuffle', 'sample', 'choices'])
def test_ctrl_c_interrupts_a_long_sequence_call(call):
    """SIGINT during a long shuffle, sample or choices is handled during
    the call, as in CPython's pure-Python loops, and its KeyboardInterrupt
    ends the call: the steps pass through the interpreter, which runs the
    pending handler. A call that kept the interpreter out until it finished
    would have the handler run once it returned, in the package's method or
    in this file. A shuffle stopped
    half-way leaves the list a permutation of its items. Each call takes
    seconds on 10**7 items; the signal comes after 0.2 s.
    """
    items = list(range(10 ** 7))
    rng = secrets_rs.SystemRandom()
    run = {
        'shuffle': lambda: rng.shuffle(items),
        'sample': lambda: rng.sample(items, len(items)),
        'choices': lambda: rng.choices(items, k=len(items)),
    }[call]
    handled_in = []

    def handler(signum, frame):
        handled_in.append(frame.f_code.co_filename)
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGINT, handler)
    main = threading.main_thread().ident
    timer = threading.Timer(0.2, signal.pthread_kill, args=(main, signal.SIGINT))
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            run()
            time.sleep(5)  # finished first: the signal lands here
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, old)
    assert handled_in, 'the handler did not run'
    assert handled_in[0] not in (__file__, secrets_rs.__file__), handled_in
    assert sorted(items) == list(range(10 ** 7))


@pytest.mark.parametrize('call', ['sample', 'choices'])
def test_a_result_being_filled_is_never_seen(call):
    """sample and choices make their result list at once and fill it in
    steps, letting other threads run between steps; until its last slot is
    set, no other thread can reach it. A thread that walks
    gc.get_objects() all the while, reading the last item of every list
    of the result's length, would find the list half-filled (a null slot:
    a crash or SystemError) if it were visible. The walker must have
    looked at least once during the call, or the test proves nothing.
    """
    k = 2 * 10 ** 6
    items = list(range(k))
    rng = secrets_rs.SystemRandom()
    run = {
        'sample': lambda: rng.sample(items, k),
        'choices': lambda: rng.choices(items, k=k),
    }[call]
    done = threading.Event()
    walks, seen = [0], []

    def walker():
        import gc
        while not done.is_set():
            for ob in gc.get_objects():
                if type(ob) is list and len(ob) == k and ob is not items:
                    seen.append(ob[-1])
            walks[0] += 1

    thread = threading.Thread(target=walker)
    thread.start()
    try:
        time.sleep(0.05)
        before = walks[0]
        result = run()
        during = walks[0] - before
    finally:
        done.set()
        thread.join()
    assert len(result) == k
    assert during > 0, 'the walker never ran during the call'
    assert all(isinstance(x, int) for x in seen)


def test_shuffle_of_a_list_another_thread_shrinks():
    """shuffle swaps on the list's own item array, a step at a time; between
    steps another thread may shrink the list. Each step reads the length
    again: the swaps past the new end raise CPython's IndexError, those
    before it are done, and every item keeps its references (no object is
    freed while the list still holds it, none is leaked)."""
    sentinels = [object() for _ in range(64)]
    before = [sys.getrefcount(s) for s in sentinels]
    rng = secrets_rs.SystemRandom()
    outcomes = set()
    for _ in range(5):
        items = sentinels * 40_000  # 2.56 million references, many steps
        started = threading.Event()

        def shrink():
            started.wait()
            time.sleep(0.002)
            del items[len(items) // 3:]

        thread = threading.Thread(target=shrink)
        thread.start()
        started.set()
        try:
            rng.shuffle(items)
            outcomes.add('done')
        except IndexError as err:
            assert str(err) == 'list index out of range'
            outcomes.add('IndexError')
        thread.join()
        # What is left is still made of the sentinels only.
        assert set(map(id, items)) <= set(map(id, sentinels))
        del items
    assert [sys.getrefcount(s) for s in sentinels] == before
    # The shrink lands mid-shuffle: the thread asks for the GIL 2 ms in,
    # and a shuffle of 2.56 million items hands it over within a switch
    # interval (5 ms) at a step's end, long before its last step.
    assert 'IndexError' in outcomes


def test_shuffle_moves_every_item_exactly_once():
    """The in-place swaps permute: each of n distinct items is found once
    after the shuffle (a model check of the swaps on the item array)."""
    rng = secrets_rs.SystemRandom()
    for n in (0, 1, 2, 3, 1023, 1024, 1025, 5000):
        objects = [object() for _ in range(n)]
        items = list(objects)
        rng.shuffle(items)
        assert sorted(map(id, items)) == sorted(map(id, objects))


@pytest.mark.parametrize('choose', [secrets_rs.choice, secrets_rs.SystemRandom().choice],
                         ids=['choice', 'SystemRandom.choice'])
def test_choice_of_a_list_gives_its_own_items_with_their_own_references(choose):
    """choice reads an exact list's item array directly: it must give the
    item objects themselves (checked by identity against the list's own
    items), reach every index, leave every reference count as it was,
    and refuse an empty list as CPython's does. The chance that 2,000 draws
    miss one of 5 items is under 5 * (4/5)**2000, about 1e-193."""
    objects = [object() for _ in range(5)]
    items = list(objects)
    before = [sys.getrefcount(o) for o in objects]
    got = [choose(items) for _ in range(2000)]
    assert {id(g) for g in got} == {id(o) for o in objects}
    assert all(any(g is o for o in items) for g in got)
    del got
    assert [sys.getrefcount(o) for o in objects] == before
    assert choose([objects[3]]) is objects[3]
    with pytest.raises(IndexError):
        choose([])

    class Sub(list):
        pass

    assert choose(Sub([objects[1]])) is objects[1]
