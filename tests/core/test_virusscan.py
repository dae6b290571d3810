"""The clamd client and the scan hook (core.virusscan), against a real clamd with a tiny
signature database of our own (tests/clamd.py)."""

import io
import logging
import socket

import pytest
from django.core.checks import run_checks

from core import virusscan
from core.virusscan import ClamdAddress, ClamdClient, ScannerUnavailable
from tests.clamd import EICAR, MARKER, MARKER_SIGNATURE

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def closed_address() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{sock.getsockname()[1]}"


class TestAddress:
    @pytest.mark.parametrize(
        ("address", "family", "target"),
        [
            ("tcp://127.0.0.1:3310", socket.AF_INET, ("127.0.0.1", 3310)),
            ("tcp://clamav.internal:3310", socket.AF_INET, ("clamav.internal", 3310)),
            ("tcp://[::1]:3310", socket.AF_INET6, ("::1", 3310)),
            ("unix:///run/clamav/clamd.ctl", socket.AF_UNIX, "/run/clamav/clamd.ctl"),
        ],
    )
    def test_tcp_and_unix_addresses(self, address, family, target):
        parsed = ClamdAddress.parse(address)
        assert (parsed.family, parsed.target) == (family, target)

    @pytest.mark.parametrize(
        "address",
        ["127.0.0.1:3310", "tcp://127.0.0.1", "tcp://:3310", "tcp://host:port", "unix://run/x"],
    )
    def test_anything_else_is_refused(self, address):
        with pytest.raises(ValueError):
            ClamdAddress.parse(address)


class TestClientAgainstClamd:
    def test_ping(self, clamd):
        assert ClamdClient(clamd.tcp_address, 5).ping()
        assert ClamdClient(clamd.unix_address, 5).ping()

    def test_a_clean_file_has_no_signature(self, clamd):
        assert ClamdClient(clamd.tcp_address, 5).scan(io.BytesIO(PDF)) is None

    def test_an_infected_file_gives_the_signature_over_tcp_and_unix_socket(self, clamd):
        infected = PDF + MARKER
        assert ClamdClient(clamd.tcp_address, 5).scan(io.BytesIO(infected)) == MARKER_SIGNATURE
        assert ClamdClient(clamd.unix_address, 5).scan(io.BytesIO(infected)) == MARKER_SIGNATURE
        assert (
            ClamdClient(clamd.tcp_address, 5).scan(io.BytesIO(EICAR))
            == "Loket.Test.EICAR.UNOFFICIAL"
        )

    def test_a_file_in_many_chunks_is_scanned_whole(self, clamd):
        # The marker sits after several chunks, and across a chunk boundary.
        content = PDF + b"0" * (3 * virusscan.CHUNK_BYTES - 10) + MARKER
        assert ClamdClient(clamd.tcp_address, 5).scan(io.BytesIO(content)) == MARKER_SIGNATURE

    def test_the_stream_position_is_put_back(self, clamd):
        stream = io.BytesIO(PDF + MARKER)
        stream.seek(5)
        ClamdClient(clamd.tcp_address, 5).scan(stream)
        assert stream.tell() == 5

    def test_a_file_larger_than_clamd_takes_gives_no_verdict(self, clamd):
        # The test clamd takes at most 1 MB (StreamMaxLength): it answers with an error.
        big = io.BytesIO(PDF + b"0" * (2 * 1024 * 1024))
        with pytest.raises(ScannerUnavailable):
            ClamdClient(clamd.tcp_address, 5).scan(big)

    def test_nothing_listening_gives_no_verdict(self, closed_address, tmp_path):
        with pytest.raises(ScannerUnavailable):
            ClamdClient(closed_address, 2).scan(io.BytesIO(PDF))
        with pytest.raises(ScannerUnavailable):
            ClamdClient(f"unix://{tmp_path / 'missing.sock'}", 2).scan(io.BytesIO(PDF))
        assert not ClamdClient(closed_address, 2).ping()

    def test_a_server_that_does_not_answer_times_out(self):
        # Accepts the connection (the backlog) but never answers.
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            port = server.getsockname()[1]
            with pytest.raises(ScannerUnavailable):
                ClamdClient(f"tcp://127.0.0.1:{port}", 0.5).scan(io.BytesIO(PDF))


class TestScanUploadHook:
    def test_does_nothing_while_scanning_is_off(self, settings, closed_address):
        settings.LOKET_CLAMAV = False
        settings.LOKET_CLAMAV_ADDRESS = closed_address
        assert virusscan.scan_upload(io.BytesIO(PDF + MARKER)) is None

    def test_logs_the_signature_without_the_file_name(self, virus_scanning, caplog):
        upload = io.BytesIO(PDF + MARKER)
        upload.name = "paspoort-jan-peeters.pdf"
        with caplog.at_level(logging.WARNING, logger="core.virusscan"):
            assert virusscan.scan_upload(upload, "application/pdf") == MARKER_SIGNATURE
        [record] = caplog.records
        assert MARKER_SIGNATURE in record.getMessage()
        assert "application/pdf" in record.getMessage()
        assert "peeters" not in record.getMessage()

    def test_fail_closed_raises(self, settings, closed_address, caplog):
        settings.LOKET_CLAMAV = True
        settings.LOKET_CLAMAV_ADDRESS = closed_address
        settings.LOKET_CLAMAV_FAIL_MODE = "closed"
        with pytest.raises(ScannerUnavailable), caplog.at_level(logging.ERROR):
            virusscan.scan_upload(io.BytesIO(PDF))
        assert "refused" in caplog.records[-1].getMessage()

    def test_fail_open_accepts_and_logs_an_error(self, settings, closed_address, caplog):
        settings.LOKET_CLAMAV = True
        settings.LOKET_CLAMAV_ADDRESS = closed_address
        settings.LOKET_CLAMAV_FAIL_MODE = "open"
        with caplog.at_level(logging.ERROR, logger="core.virusscan"):
            assert virusscan.scan_upload(io.BytesIO(PDF)) is None
        [record] = caplog.records
        assert record.levelno == logging.ERROR
        assert "accepted unscanned" in record.getMessage()

    def test_a_wrong_address_fails_like_an_unreachable_clamd(self, settings):
        settings.LOKET_CLAMAV = True
        settings.LOKET_CLAMAV_ADDRESS = "127.0.0.1:3310"
        settings.LOKET_CLAMAV_FAIL_MODE = "closed"
        with pytest.raises(ScannerUnavailable):
            virusscan.scan_upload(io.BytesIO(PDF))
        settings.LOKET_CLAMAV_FAIL_MODE = "open"
        assert virusscan.scan_upload(io.BytesIO(PDF)) is None

    def test_an_unknown_fail_mode_fails_closed(self, settings, closed_address):
        settings.LOKET_CLAMAV = True
        settings.LOKET_CLAMAV_ADDRESS = closed_address
        settings.LOKET_CLAMAV_FAIL_MODE = "sometimes"
        with pytest.raises(ScannerUnavailable):
            virusscan.scan_upload(io.BytesIO(PDF))


class TestSettingsCheck:
    def test_no_errors_while_off_or_well_set(self, settings):
        settings.LOKET_CLAMAV = False
        settings.LOKET_CLAMAV_ADDRESS = "nonsense"
        assert virusscan.check_settings() == []
        settings.LOKET_CLAMAV = True
        settings.LOKET_CLAMAV_ADDRESS = "tcp://127.0.0.1:3310"
        settings.LOKET_CLAMAV_FAIL_MODE = "open"
        assert virusscan.check_settings() == []

    def test_wrong_values_are_reported_by_manage_py_check(self, settings):
        settings.LOKET_CLAMAV = True
        settings.LOKET_CLAMAV_ADDRESS = "127.0.0.1:3310"
        settings.LOKET_CLAMAV_FAIL_MODE = "sometimes"
        settings.LOKET_CLAMAV_TIMEOUT = 0
        ids = {error.id for error in run_checks()}
        assert {"loket.E101", "loket.E102", "loket.E103"} <= ids
