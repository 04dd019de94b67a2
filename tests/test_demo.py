from kmr.__main__ import main
from kmr.demo import run_demo


def test_demo_reports_held_out_metrics_weights_and_the_report(tmp_path, capsys):
    results = run_demo(output_dir=str(tmp_path), epochs=3, seed=7)

    printed = capsys.readouterr().out
    assert "Held-out ranking of the whole catalog" in printed
    assert "Learned component weights" in printed
    assert str(tmp_path) in printed
    html = (tmp_path / "diagnostic_report.html").read_text()
    assert html.count("plotly") > 0
    assert set(results) == {
        "model",
        "popularity",
        "component_weights",
        "report_path",
    }
    assert abs(float(results["component_weights"].sum()) - 1.0) < 1e-5
    # Three epochs are too few to learn; the slow seed-workflow test checks
    # that the full demo setting beats popularity.
    for metrics in (results["model"], results["popularity"]):
        assert 0.0 <= metrics["recall@10"] <= 1.0


def test_command_line_rejects_unknown_commands(capsys):
    try:
        main(["train"])
    except SystemExit as exit_status:
        assert exit_status.code == 2
    else:
        raise AssertionError("an unknown command must exit with status 2")
