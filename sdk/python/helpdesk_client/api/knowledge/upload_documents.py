from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.upload_event import UploadEvent
from ...models.upload_form import UploadForm
from ...models.uploaded import Uploaded
from ...types import Response


def _get_kwargs(
    *,
    body: UploadForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/documents",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UploadEvent | Uploaded:
    if response.status_code == 200:
        response_200 = UploadEvent.from_dict(response.text)

        return response_200

    if response.status_code == 201:
        response_201 = Uploaded.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | UploadEvent | Uploaded]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UploadForm,
) -> Response[Problem | UploadEvent | Uploaded]:
    """Upload documents to the knowledge base

     Each file is stored as it arrives, in order. With `Accept: text/event-stream` the answer is a stream
    of server-sent events instead: `progress` after each embedding batch of a file (`{source, file,
    stage, done, total}`: the file's name, its place in the upload from 1, `passages` or `sentences`,
    and how many of that stage's `total` are embedded so far), `stored` when a file is stored
    (`UploadedFile`), then `done` (`Uploaded`) or `error` (a problem body; the files stored before it
    stay stored). A document of a thousand passages takes most of a minute on two cores.

    Args:
        body (UploadForm): The upload form: one or more files, and the visibility they get.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadEvent | Uploaded]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UploadForm,
) -> Problem | UploadEvent | Uploaded | None:
    """Upload documents to the knowledge base

     Each file is stored as it arrives, in order. With `Accept: text/event-stream` the answer is a stream
    of server-sent events instead: `progress` after each embedding batch of a file (`{source, file,
    stage, done, total}`: the file's name, its place in the upload from 1, `passages` or `sentences`,
    and how many of that stage's `total` are embedded so far), `stored` when a file is stored
    (`UploadedFile`), then `done` (`Uploaded`) or `error` (a problem body; the files stored before it
    stay stored). A document of a thousand passages takes most of a minute on two cores.

    Args:
        body (UploadForm): The upload form: one or more files, and the visibility they get.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadEvent | Uploaded
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UploadForm,
) -> Response[Problem | UploadEvent | Uploaded]:
    """Upload documents to the knowledge base

     Each file is stored as it arrives, in order. With `Accept: text/event-stream` the answer is a stream
    of server-sent events instead: `progress` after each embedding batch of a file (`{source, file,
    stage, done, total}`: the file's name, its place in the upload from 1, `passages` or `sentences`,
    and how many of that stage's `total` are embedded so far), `stored` when a file is stored
    (`UploadedFile`), then `done` (`Uploaded`) or `error` (a problem body; the files stored before it
    stay stored). A document of a thousand passages takes most of a minute on two cores.

    Args:
        body (UploadForm): The upload form: one or more files, and the visibility they get.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadEvent | Uploaded]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UploadForm,
) -> Problem | UploadEvent | Uploaded | None:
    """Upload documents to the knowledge base

     Each file is stored as it arrives, in order. With `Accept: text/event-stream` the answer is a stream
    of server-sent events instead: `progress` after each embedding batch of a file (`{source, file,
    stage, done, total}`: the file's name, its place in the upload from 1, `passages` or `sentences`,
    and how many of that stage's `total` are embedded so far), `stored` when a file is stored
    (`UploadedFile`), then `done` (`Uploaded`) or `error` (a problem body; the files stored before it
    stay stored). A document of a thousand passages takes most of a minute on two cores.

    Args:
        body (UploadForm): The upload form: one or more files, and the visibility they get.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadEvent | Uploaded
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
