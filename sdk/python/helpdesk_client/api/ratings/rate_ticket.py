from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rating_view import RatingView
from ...models.ticket_rating_body import TicketRatingBody
from ...types import Response


def _get_kwargs(
    *,
    body: TicketRatingBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ratings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RatingView:
    if response.status_code == 201:
        response_201 = RatingView.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RatingView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TicketRatingBody,
) -> Response[Problem | RatingView]:
    """Rate a solved ticket through its signed link

     Once per ticket. A bad rating reopens it when the tenant's `csat.reopen_on_bad` is on.

    Args:
        body (TicketRatingBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RatingView]
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
    body: TicketRatingBody,
) -> Problem | RatingView | None:
    """Rate a solved ticket through its signed link

     Once per ticket. A bad rating reopens it when the tenant's `csat.reopen_on_bad` is on.

    Args:
        body (TicketRatingBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RatingView
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TicketRatingBody,
) -> Response[Problem | RatingView]:
    """Rate a solved ticket through its signed link

     Once per ticket. A bad rating reopens it when the tenant's `csat.reopen_on_bad` is on.

    Args:
        body (TicketRatingBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RatingView]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TicketRatingBody,
) -> Problem | RatingView | None:
    """Rate a solved ticket through its signed link

     Once per ticket. A bad rating reopens it when the tenant's `csat.reopen_on_bad` is on.

    Args:
        body (TicketRatingBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RatingView
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
