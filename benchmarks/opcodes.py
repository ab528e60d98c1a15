"""Bytecode instructions executed, by function: a cost measure that machine noise can't move.

On a shared machine timings move by tens of percent between minutes; the number of Python
instructions a call executes does not. Each costs roughly 20-30 ns on the 2-core CI box,
so fewer instructions on the hot path is what makes ember faster (NumPy's own time aside).
"""
import collections
import sys


def count_instructions(run):
    """{(file, function): instructions} executed by ``run()``."""
    counts = collections.Counter()
    if hasattr(sys, 'monitoring'):  # Python 3.12+: settrace's first traced run counts nothing
        return _monitored(run, counts)

    def trace(frame, event, arg):
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        if event == 'opcode':
            code = frame.f_code
            counts[code.co_filename, code.co_name] += 1
        return trace

    sys.settrace(trace)
    try:
        run()
    finally:
        sys.settrace(None)
    return counts


def _monitored(run, counts):
    """count_instructions by sys.monitoring's INSTRUCTION events."""
    monitoring = sys.monitoring
    tool = monitoring.PROFILER_ID

    def instruction(code, offset):
        counts[code.co_filename, code.co_name] += 1

    monitoring.use_tool_id(tool, 'ember benchmarks')
    monitoring.register_callback(tool, monitoring.events.INSTRUCTION, instruction)
    monitoring.set_events(tool, monitoring.events.INSTRUCTION)
    try:
        run()
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, monitoring.events.INSTRUCTION, None)
        monitoring.free_tool_id(tool)
    return counts


def print_instructions(counts, top=25):
    total = sum(counts.values())
    print(f'{total} bytecode instructions; the {top} functions that execute the most:')
    for (filename, function), n in counts.most_common(top):
        where = filename.rpartition('/src/')[2] or filename
        print(f'  {n:6d}  {function:24s} {where}')
