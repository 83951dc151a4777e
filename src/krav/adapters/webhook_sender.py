"""Webhook deliveries posted over HTTP(S) with the standard library: a short timeout, no redirects followed (a
redirect is an answer that is not 2xx, so the delivery is tried again later)."""

from __future__ import annotations

import urllib.error
import urllib.request


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class HttpWebhookSender:
    def __init__(self, *, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        if not url.startswith(("https://", "http://")):
            raise OSError(f"not an http(s) URL: {url}")
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:  # nosec B310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except urllib.error.URLError as exc:
            raise OSError(str(exc.reason)) from exc
