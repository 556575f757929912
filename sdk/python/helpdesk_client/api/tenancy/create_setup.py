from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.setup_body import SetupBody
from ...models.setup_done import SetupDone
from ...types import Response


def _get_kwargs(
    *,
    body: SetupBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/setup",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SetupDone:
    if response.status_code == 201:
        response_201 = SetupDone.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SetupDone]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SetupBody,
) -> Response[Problem | SetupDone]:
    """Create the first organisation and its admin (first run only)

     Open only while no tenant exists; afterwards `setup_closed`, and an operator creates tenants.

    Args:
        body (SetupBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SetupDone]
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
    client: AuthenticatedClient,
    body: SetupBody,
) -> Problem | SetupDone | None:
    """Create the first organisation and its admin (first run only)

     Open only while no tenant exists; afterwards `setup_closed`, and an operator creates tenants.

    Args:
        body (SetupBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SetupDone
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SetupBody,
) -> Response[Problem | SetupDone]:
    """Create the first organisation and its admin (first run only)

     Open only while no tenant exists; afterwards `setup_closed`, and an operator creates tenants.

    Args:
        body (SetupBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SetupDone]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SetupBody,
) -> Problem | SetupDone | None:
    """Create the first organisation and its admin (first run only)

     Open only while no tenant exists; afterwards `setup_closed`, and an operator creates tenants.

    Args:
        body (SetupBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SetupDone
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
