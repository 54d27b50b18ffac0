"""Write hatch_binary.dxf: a binary DXF (AutoCAD 2010, AC1024) made by ezdxf, an independent
DXF library, holding one HATCH (a 250 m square polyline boundary on layer 地类, a zone-41
Gauss-Krüger position) with the text 旱地 inside it, and one HATCH whose boundary is an edge
path (a line and an arc). Run with ezdxf 1.4.5:

    python3 tests/data/dxf/make_binary_hatch.py
"""
from pathlib import Path

import ezdxf

E, N = 41_440_000.123, 5_060_000.456  # tests/support/gpkg_dxf.rs: CONTROL_E, CONTROL_N

doc = ezdxf.new("R2010")
msp = doc.modelspace()
h = msp.add_hatch(color=3, dxfattribs={"layer": "地类"})
h.paths.add_polyline_path(
    [(E, N), (E + 250, N), (E + 250, N + 250), (E, N + 250)], is_closed=True
)
msp.add_text("旱地", dxfattribs={"layer": "注记", "insert": (E + 100, N + 100)})
# An edge path: a line and a half circle (radius 100 m, counter-clockwise from 90° to 270°)
# close a half disc of 15 708 m² west of x0.
h2 = msp.add_hatch(color=4, dxfattribs={"layer": "地类"})
edges = h2.paths.add_edge_path()
x0 = E + 1000
edges.add_line((x0, N), (x0, N + 200))
edges.add_arc((x0, N + 100), radius=100, start_angle=90, end_angle=270, ccw=True)
doc.saveas(Path(__file__).with_name("hatch_binary.dxf"), fmt="bin")
