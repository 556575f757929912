from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.applied_macro import AppliedMacro
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    macro_id: UUID,
    *,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tickets/{id}/apply-macro/{macro_id}".format(
            id=quote(str(id), safe=""),
            macro_id=quote(str(macro_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AppliedMacro | Problem:
    if response.status_code == 200:
        response_200 = AppliedMacro.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AppliedMacro | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    macro_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_match: None | str | Unset = UNSET,
) -> Response[AppliedMacro | Problem]:
    """Apply a macro to a ticket

     Posts the macro's reply (placeholders filled in) and makes its field changes in one transaction,
    recorded as one `macro_applied` event. With `If-Match`, the ticket must still be at that version.

    Args:
        id (UUID):
        macro_id (UUID):
        if_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AppliedMacro | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        macro_id=macro_id,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    macro_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_match: None | str | Unset = UNSET,
) -> AppliedMacro | Problem | None:
    """Apply a macro to a ticket

     Posts the macro's reply (placeholders filled in) and makes its field changes in one transaction,
    recorded as one `macro_applied` event. With `If-Match`, the ticket must still be at that version.

    Args:
        id (UUID):
        macro_id (UUID):
        if_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AppliedMacro | Problem
    """

    return sync_detailed(
        id=id,
        macro_id=macro_id,
        client=client,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    macro_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_match: None | str | Unset = UNSET,
) -> Response[AppliedMacro | Problem]:
    """Apply a macro to a ticket

     Posts the macro's reply (placeholders filled in) and makes its field changes in one transaction,
    recorded as one `macro_applied` event. With `If-Match`, the ticket must still be at that version.

    Args:
        id (UUID):
        macro_id (UUID):
        if_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AppliedMacro | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        macro_id=macro_id,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    macro_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_match: None | str | Unset = UNSET,
) -> AppliedMacro | Problem | None:
    """Apply a macro to a ticket

     Posts the macro's reply (placeholders filled in) and makes its field changes in one transaction,
    recorded as one `macro_applied` event. With `If-Match`, the ticket must still be at that version.

    Args:
        id (UUID):
        macro_id (UUID):
        if_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AppliedMacro | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            macro_id=macro_id,
            client=client,
            if_match=if_match,
        )
    ).parsed
